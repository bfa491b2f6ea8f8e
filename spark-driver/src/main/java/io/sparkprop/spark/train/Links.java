package io.sparkprop.spark.train;

import java.io.IOException;

/**
 * The two ends of a barrier task's channel. The driver holds one {@link TaskLink} per partition;
 * each task holds a {@link DriverLink}. Implementations: in the driver's JVM ({@link LocalHub})
 * and over TCP ({@link SocketHub}).
 */
final class Links {

  private Links() {
  }

  /** A step's command as a task receives it; {@code params} must not be changed by the task. */
  static final class Command {
    float[] params;
    int epoch;
    int step;
    int steps;
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

    /** Reports a failure of the task to the driver (best effort). */
    void fail(String message);

    /** Releases the channel. */
    void close();
  }

  /** The driver's side of a run's channels: where tasks of a stage check in. */
  interface Hub {
    /** Accepts check-ins of stage {@code generation}'s {@code parts} tasks from now on (older ones are refused). */
    void open(int generation, int parts);

    /** The task function of stage {@code generation}. */
    BarrierTask task(int generation, int timeoutMillis);

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
