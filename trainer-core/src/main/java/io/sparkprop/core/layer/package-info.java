/**
 * Layers. A {@link io.sparkprop.core.layer.Layer} is an immutable description (a record such as
 * {@code Dense(128)} or {@code ReLU()}) that infers its output shape and parameter tensors from
 * its input shape and binds to a {@link io.sparkprop.core.layer.LayerModel}, which does the maths
 * on a flat parameter vector. This is the split of Spark's {@code ml/ann} Layer/LayerModel.
 *
 * <p>Image layout: one layout everywhere, PyTorch's. An image sample is channel-first
 * {@code (C, H, W)} and a batch is NCHW, row-major; {@link io.sparkprop.core.layer.Conv2D}'s
 * kernel is {@code [filters, C, kh, kw]} and {@link io.sparkprop.core.layer.Flatten} keeps
 * channel-major order, so PyTorch weights and test cases load without conversion. Convolution is
 * im2col plus the same GEMM path as {@link io.sparkprop.core.layer.Dense}.
 *
 * <p>Sequence layout: a sequence sample is {@code (T, F)}, a batch {@code [batch, T, F]} row-major;
 * {@link io.sparkprop.core.layer.Pass#lengths()} gives each sample's real length, and the
 * attention layers ({@link io.sparkprop.core.layer.MultiHeadAttention},
 * {@link io.sparkprop.core.layer.TransformerEncoder}) and sequence pooling leave padded steps out:
 * they output zero and pass no gradient. Per-step layers use
 * {@link io.sparkprop.core.layer.TimeDistributed}; plain Dense keeps flattening its input.
 */
package io.sparkprop.core.layer;
