/**
 * JMH benchmarks of the hot path, run by hand (never by the build): {@link
 * io.sparkprop.benchmarks.GemmBenchmark} times one GEMM per backend (EJML, netlib Java BLAS, native
 * BLAS) at the shapes of a 784-256-128-10 MLP at batch 128, {@link
 * io.sparkprop.benchmarks.TrainStepBenchmark} times one full training step, and {@link
 * io.sparkprop.benchmarks.BenchmarkReport} runs them and prints GFLOP/s with ratios against EJML.
 */
package io.sparkprop.benchmarks;
