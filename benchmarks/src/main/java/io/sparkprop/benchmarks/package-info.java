/**
 * JMH benchmarks of the hot path, run by hand (never by the build): {@link
 * io.sparkprop.benchmarks.GemmBenchmark} times one GEMM per backend (EJML, netlib Java BLAS, native
 * BLAS) at the shapes of a 784-256-128-10 MLP at batch 128, {@link
 * io.sparkprop.benchmarks.TrainStepBenchmark} times one full training step, and {@link
 * io.sparkprop.benchmarks.BenchmarkReport} runs them and prints GFLOP/s with ratios against EJML.
 * The other main classes are side-by-side runs started from the scripts in {@code benchmarks/}
 * (each documented in benchmarks/README.md), e.g. {@link io.sparkprop.benchmarks.SparkVsMllib} and
 * {@link io.sparkprop.benchmarks.FashionVsMllib} against Spark MLlib's MLP in {@code local[2]}.
 */
package io.sparkprop.benchmarks;
