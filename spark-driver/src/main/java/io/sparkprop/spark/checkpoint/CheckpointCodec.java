package io.sparkprop.spark.checkpoint;

import io.sparkprop.core.io.FileFormatException;
import io.sparkprop.core.io.ParamsFile;
import io.sparkprop.core.optim.OptimizerState;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingState;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The checkpoint file format, version 2 (version 1 files, without validation metrics, still read). Big-endian {@link DataOutputStream} fields, float arrays
 * as an int count then raw IEEE-754 bits, a CRC-32 of everything before it at the end:
 * <pre>
 * "SPCK" int version=1
 * long seed, int n + UTF-8 bytes architecture JSON
 * int completedEpochs, long globalStep, long optimizerStep, double lrFactor,
 * double plateauBest, int plateauWait, double stopBest, int stopBestEpoch, int stopWait
 * floats params
 * int slots, slots × floats
 * byte hasBest [floats bestParams]
 * int epochs, epochs × (int epoch, double loss, accuracy, valLoss, valAccuracy, learningRate,
 *                       seconds, long samples, int k, k × double phaseSeconds,
 *                       v2 only: int m, m × (UTF name, double value) validation metrics)
 * int crc32
 * </pre>
 */
public final class CheckpointCodec {
  private static final int MAGIC = 0x5350434B; // "SPCK"
  private static final int VERSION = 2;

  private CheckpointCodec() {
  }

  /** Writes {@code c} to {@code out} (left open). */
  public static void write(Checkpoint c, OutputStream out) throws IOException {
    CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32());
    DataOutputStream d = new DataOutputStream(checked);
    d.writeInt(MAGIC);
    d.writeInt(VERSION);
    d.writeLong(c.seed());
    byte[] arch = c.architectureJson().getBytes(StandardCharsets.UTF_8);
    d.writeInt(arch.length);
    d.write(arch);
    TrainingState s = c.state();
    TrainingState.Counters k = s.counters();
    d.writeInt(k.completedEpochs());
    d.writeLong(k.globalStep());
    d.writeLong(k.optimizerStep());
    d.writeDouble(k.lrFactor());
    d.writeDouble(k.plateauBest());
    d.writeInt(k.plateauWait());
    d.writeDouble(k.stopBest());
    d.writeInt(k.stopBestEpoch());
    d.writeInt(k.stopWait());
    writeFloats(d, c.params());
    OptimizerState o = s.optimizer();
    d.writeInt(o.slotCount());
    for (int i = 0; i < o.slotCount(); i++) {
      writeFloats(d, o.slot(i));
    }
    d.writeBoolean(s.bestParams() != null);
    if (s.bestParams() != null) {
      writeFloats(d, s.bestParams());
    }
    List<EpochLog> epochs = s.history().epochs();
    d.writeInt(epochs.size());
    for (EpochLog e : epochs) {
      d.writeInt(e.epoch());
      d.writeDouble(e.loss());
      d.writeDouble(e.accuracy());
      d.writeDouble(e.valLoss());
      d.writeDouble(e.valAccuracy());
      d.writeDouble(e.learningRate());
      d.writeDouble(e.seconds());
      d.writeLong(e.samples());
      d.writeInt(e.phaseSeconds().length);
      for (double v : e.phaseSeconds()) {
        d.writeDouble(v);
      }
      d.writeInt(e.valMetrics().size());
      for (Map.Entry<String, Double> m : e.valMetrics().entrySet()) {
        d.writeUTF(m.getKey());
        d.writeDouble(m.getValue());
      }
    }
    d.flush();
    new DataOutputStream(out).writeInt((int) checked.getChecksum().getValue());
  }

  /**
   * Reads a checkpoint from {@code in} (left open).
   *
   * @param source names the file in messages
   * @throws FileFormatException when the file is not a checkpoint, is of another version, is
   *     truncated or fails its CRC
   */
  public static Checkpoint read(InputStream in, String source) throws IOException {
    CheckedInputStream checked = new CheckedInputStream(in, new CRC32());
    DataInputStream d = new DataInputStream(checked);
    try {
      if (d.readInt() != MAGIC) {
        throw new FileFormatException(source, "not a sparkprop checkpoint (no SPCK header)");
      }
      int version = d.readInt();
      if (version < 1 || version > VERSION) {
        throw new FileFormatException(source, "checkpoint version " + version + ", this build reads versions 1 to "
            + VERSION);
      }
      long seed = d.readLong();
      byte[] arch = new byte[checkedLength(d.readInt(), source)];
      d.readFully(arch);
      TrainingState.Counters k = new TrainingState.Counters(d.readInt(), d.readLong(), d.readLong(), d.readDouble(),
          d.readDouble(), d.readInt(), d.readDouble(), d.readInt(), d.readInt());
      float[] params = readFloats(d, source);
      float[][] slots = new float[checkedLength(d.readInt(), source)][];
      for (int i = 0; i < slots.length; i++) {
        slots[i] = readFloats(d, source);
      }
      float[] best = d.readBoolean() ? readFloats(d, source) : null;
      int n = checkedLength(d.readInt(), source);
      List<EpochLog> epochs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int epoch = d.readInt();
        double loss = d.readDouble();
        double acc = d.readDouble();
        double valLoss = d.readDouble();
        double valAcc = d.readDouble();
        double lr = d.readDouble();
        double seconds = d.readDouble();
        long samples = d.readLong();
        double[] phases = new double[checkedLength(d.readInt(), source)];
        for (int j = 0; j < phases.length; j++) {
          phases[j] = d.readDouble();
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        int m = version >= 2 ? checkedLength(d.readInt(), source) : 0;
        for (int j = 0; j < m; j++) {
          metrics.put(d.readUTF(), d.readDouble());
        }
        epochs.add(new EpochLog(epoch, loss, acc, valLoss, valAcc, lr, seconds, samples, phases, metrics));
      }
      int expected = (int) checked.getChecksum().getValue();
      int crc = new DataInputStream(in).readInt();
      if (crc != expected) {
        throw new FileFormatException(source, "checkpoint is corrupt (CRC mismatch)");
      }
      TrainingState state = new TrainingState(new OptimizerState(k.optimizerStep(), slots), new History(epochs));
      state.restore(k, best);
      return new Checkpoint(seed, new String(arch, StandardCharsets.UTF_8), params, state);
    } catch (EOFException e) {
      throw new FileFormatException(source, "checkpoint is truncated", e);
    }
  }

  private static int checkedLength(int n, String source) throws IOException {
    if (n < 0 || n > Integer.MAX_VALUE - 16) {
      throw new FileFormatException(source, "checkpoint is corrupt (length " + n + ")");
    }
    return n;
  }

  /** An int count, then the floats as {@link ParamsFile} writes its data (big-endian float32). */
  private static void writeFloats(DataOutputStream d, float[] a) throws IOException {
    d.writeInt(a.length);
    ParamsFile.writeFloats(a, d, null);
  }

  private static float[] readFloats(DataInputStream d, String source) throws IOException {
    float[] a = new float[checkedLength(d.readInt(), source)];
    ParamsFile.readFloats(d, a);
    return a;
  }
}
