/**
 * Short runnable programs showing the Java API, each a {@code main} of under 100 lines:
 * {@link io.sparkprop.examples.MnistMlp} (an MLP on the bundled MNIST sample) and
 * {@link io.sparkprop.examples.Regression} (a small regression network on synthetic data). Run one with
 * {@code mvn -q -pl examples -am package -DskipTests -Dexample=MnistMlp}.
 */
package io.sparkprop.examples;
