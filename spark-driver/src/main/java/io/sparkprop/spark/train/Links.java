package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.metrics.MetricSums;
import java.io.IOException;
import java.io.Serializable;

/**
 * The two ends of a barrier task's channel. The driver holds one {@link TaskLink} per partition;
 * each task holds a {@link DriverLink}. Implementations: in the driver's JVM ({@link LocalHub})
 * and over TCP ({@link SocketHub}).
 */
final class Links {

  private Links() {
  }

  /**
   * A command as a task receives it: a step, or ({@code evaluate}) an evaluation of the task's
   * validation block at {@code params}, with metric sums when {@code metrics}; {@code params}
   * must not be changed by the task.
   */
  static final class Command {
    float[] params;
    int epoch;
    int step;
    int steps;
    boolean evaluate;
    boolean metrics;
  }

  /** One partition's validation loss sums and metric sums (null when none were asked for). */
  record Evaluation(LossSums sums, MetricSums metrics) implements Serializable {
  }

  /** The driver's end of one task's channel. */
  interface TaskLink {
    /** Sends step {@code step} of {@code steps} in {@code epoch} at {@code params}. */
    void send(float[] params, int epoch, int step, int steps) throws IOException;

    /**
     * The task's answer to the last step, valid until the next {@link #send}; fails when the task
     * reports an error, its connection breaks or no answer comes within {@code timeoutNanos}.
     */
    StepResult receive(long timeoutNanos) throws IOException;

    /** Asks the task to evaluate its validation block at {@code params} (with metric sums when {@code metrics}). */
    void sendEvaluate(float[] params, boolean metrics) throws IOException;

    /** The task's answer to the last evaluation; fails as {@link #receive} does. */
    Evaluation receiveEvaluation(long timeoutNanos) throws IOException;

    /** Tells the task to return (the end of the stage); best effort. */
    void stop();

    /** Releases the channel; a task still waiting on it fails. Safe from any thread. */
    void close();
  }

  /** A task's end of its channel. */
  interface DriverLink {
    /** Waits for the next command: true for a step (filled into {@code c}), false for the end. */
    boolean next(Command c) throws IOException;

    /** Sends this step's result. */
    void reply(StepResult r) throws IOException;

    /** Sends this evaluation's result. */
    void replyEvaluation(Evaluation e) throws IOException;

    /** Reports a failure of the task to the driver (best effort). */
    void fail(String message);

    /** Releases the channel. */
    void close();
  }

  /** The driver's side of a run's channels: where tasks of a stage check in. */
  interface Hub {
    /** Accepts check-ins of stage {@code generation}'s {@code parts} tasks from now on (older ones are refused). */
    void open(int generation, int parts);

    /**
     * The task function of stage {@code generation}; {@code metrics} is the empty metric sums
     * the tasks evaluate into (null: no validation in this stage, or none with metrics).
     */
    BarrierTask task(int generation, int timeoutMillis, MetricSums metrics);

    /**
     * Waits until every task of the open stage has checked in, the stage has ended ({@code done}
     * says so) or the deadline has passed; returns the links in partition order.
     */
    TaskLink[] awaitAll(java.util.function.BooleanSupplier done, long deadlineNanos) throws IOException;

    /** Closes the open stage's links (tasks waiting on them fail). Safe from any thread. */
    void closeLinks();

    /** Closes everything (port, registry entry). Safe from any thread. */
    void close();
  }
}
