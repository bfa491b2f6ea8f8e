/**
 * Optimizers as settings records ({@link io.sparkprop.core.optim.SGD},
 * {@link io.sparkprop.core.optim.Adam}, {@link io.sparkprop.core.optim.AdamW},
 * {@link io.sparkprop.core.optim.RMSProp}, {@link io.sparkprop.core.optim.Adagrad}), their state
 * as flat arrays ({@link io.sparkprop.core.optim.OptimizerState}), and the update as small static
 * functions over index ranges ({@link io.sparkprop.core.optim.Optimizers}) shared by the local
 * trainer, the Spark driver and the tests, as PyTorch's functional optimizers and with PyTorch's
 * formulas. Also gradient clipping by global norm (PyTorch's {@code clip_grad_norm_}),
 * learning-rate schedules ({@link io.sparkprop.core.optim.LearningRateSchedule}: constant, step,
 * exponential, warm-up + cosine) and reduce-on-plateau with its tracker
 * ({@link io.sparkprop.core.optim.PlateauTracker}).
 */
package io.sparkprop.core.optim;
