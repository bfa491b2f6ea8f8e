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
 * <p>Sequences: a sequence activation is {@code (T, F)}, a batch row-major {@code [batch, T, F]}.
 * What a batch carries besides its floats travels on the {@link io.sparkprop.core.layer.Pass},
 * set by the network before each forward pass from the data: the real length of each sample
 * ({@code lengths}: step t of sample r is real iff {@code t < lengths[r]}; null = all real), and
 * for token models the int ids ({@code ids}, {@code [batch, T]}). Token ids never pass through
 * floats: a token {@link io.sparkprop.core.data.DataSet} keeps them as ints, the partition worker
 * gathers them as ints and the first layer, an {@link io.sparkprop.core.layer.Embedding}, reads
 * them from the pass (its float input is then empty and unused). Every sequence layer masks
 * padded steps: they output zeros, carry no state change and receive and pass no gradient.
 *
 * <p>Attention: {@link io.sparkprop.core.layer.MultiHeadAttention},
 * {@link io.sparkprop.core.layer.TransformerEncoder}, {@link io.sparkprop.core.layer.LayerNormalization},
 * {@link io.sparkprop.core.layer.PositionalEmbedding} and the masked sequence pooling leave padded
 * steps out the same way. Per-step layers use {@link io.sparkprop.core.layer.TimeDistributed};
 * plain Dense keeps flattening its input.
 */
package io.sparkprop.core.layer;
