/**
 * Deployment test support: {@link io.sparkprop.deploy.StandaloneCluster} starts and stops a real
 * multi-JVM Spark standalone cluster on 127.0.0.1 through {@code deploy/cluster.sh}, submits jobs
 * through {@code deploy/submit.sh}, finds and kills executor JVMs and cleans up every process it
 * started; {@link io.sparkprop.deploy.TinyJob} is a small checkable Spark application to submit.
 */
package io.sparkprop.deploy;
