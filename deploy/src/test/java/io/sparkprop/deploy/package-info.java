/**
 * Deployment test support: {@link io.sparkprop.deploy.StandaloneCluster} starts and stops a real
 * multi-JVM Spark standalone cluster on 127.0.0.1 through {@code deploy/cluster.sh}, submits jobs
 * through {@code deploy/submit.sh} (driver heap and master from {@link io.sparkprop.deploy.DriverSettings}),
 * finds and kills executor and driver JVMs and cleans up every process it started;
 * {@link io.sparkprop.deploy.TinyJob} is a small checkable Spark application to submit;
 * {@code MnistClusterIT} trains the bundled MNIST example on such a cluster and checks the models
 * bit for bit against local mode and against runs with a killed executor or driver;
 * {@code EncryptedClusterIT} trains it in barrier mode on a cluster with Spark's authentication
 * and network encryption on (from a conf folder: {@code StandaloneCluster.start(settings, confDir)})
 * against jobs mode.
 */
package io.sparkprop.deploy;
