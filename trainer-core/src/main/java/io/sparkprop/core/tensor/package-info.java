/**
 * Numerical building blocks: {@link io.sparkprop.core.tensor.Shape}, the row-major float GEMM
 * kernel ({@link io.sparkprop.core.tensor.Gemm}) with its native/Java BLAS and EJML reference
 * implementations, and a small seeded random generator ({@link io.sparkprop.core.tensor.Rng}).
 */
package io.sparkprop.core.tensor;
