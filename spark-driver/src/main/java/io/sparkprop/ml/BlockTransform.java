package io.sparkprop.ml;

import io.sparkprop.core.model.Network;
import io.sparkprop.spark.data.Columns;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code transform} of the fitted models in blocks: each partition's rows are gathered
 * {@code predictionBlockSize} at a time into one {@code [rows, inputSize]} matrix, the network
 * runs once per block (one GEMM per Dense layer instead of one matrix-vector product per row),
 * and each row gets the columns the model's per-row path would add, in the same order and with
 * the same schema.
 *
 * <p>Bits: the same whatever the block size. The network runs its inference pass
 * ({@link Network#predict}), whose GEMMs go through {@link io.sparkprop.core.tensor.StableGemm}:
 * every output element is summed in one fixed order (k ascending, plain float products and sums,
 * no FMA), so a row's outputs depend only on that row, not on {@code predictionBlockSize}, its
 * position in the block, the partitioning or whether native BLAS is installed; they equal the
 * models' single-row {@code predictRaw}/{@code predict} bit for bit ({@code StableTransformTest}).
 * They differ in the last bits from the BLAS-based path used before 2026-11-30 (which itself
 * differed between machines with and without native BLAS, and between block sizes), and from the
 * BLAS forward pass of training (validation runs the inference pass too).
 */
final class BlockTransform {
  /** The default rows per block. */
  static final int DEFAULT_BLOCK = 1024;

  /** From one row's network outputs to the values of the columns the model appends. */
  interface RowOutputs extends Serializable {
    /** The appended values for the outputs {@code raw[offset, offset + width)}. */
    Object[] values(float[] raw, int offset, int width);
  }

  private BlockTransform() {
  }

  /** The models' {@code predictionBlockSize} param. */
  static IntParam blockSizeParam(Params owner) {
    return new IntParam(owner, "predictionBlockSize", "rows per block in transform: the network runs once per block "
        + "(default 1024; results are the same bits whatever the block size; larger is faster) (>= 1)", ParamValidators.gtEq(1));
  }

  /**
   * {@code data} with the columns of {@code outputs} appended; {@code schema} is the output schema
   * (that of the per-row path, so names, types, nullability and metadata are unchanged).
   */
  static Dataset<Row> transform(Dataset<?> data, StructType schema, String featuresCol, TrainedNetwork network,
                                int block, RowOutputs outputs) {
    int features = data.schema().fieldIndex(featuresCol);
    Dataset<Row> rows = data.toDF().mapPartitions(new Blocks(network, features, block, outputs), Encoders.row(schema));
    // mapPartitions drops column metadata (ML attributes such as the number of classes): put it back.
    Column[] cols = new Column[schema.size()];
    for (int i = 0; i < cols.length; i++) {
      StructField f = schema.fields()[i];
      cols[i] = rows.col(Columns.quote(f.name())).as(f.name(), f.metadata());
    }
    return rows.select(cols);
  }

  /** The per-partition function: an iterator producing one block of output rows at a time. */
  private static final class Blocks implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final TrainedNetwork network;
    private final int features;
    private final int block;
    private final RowOutputs outputs;

    Blocks(TrainedNetwork network, int features, int block, RowOutputs outputs) {
      this.network = network;
      this.features = features;
      this.block = block;
      this.outputs = outputs;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        private final Network net = network.model().architecture().network();
        private final float[] params = network.model().params();
        private final int in = network.inputSize();
        private final int width = network.outputSize();
        private final float[] x = new float[block * in];
        private final List<Row> pending = new ArrayList<>(block);
        private final List<Row> ready = new ArrayList<>(block);
        private int next;

        @Override
        public boolean hasNext() {
          if (next < ready.size()) {
            return true;
          }
          ready.clear();
          next = 0;
          pending.clear();
          while (pending.size() < block && rows.hasNext()) {
            Row r = rows.next();
            copy(r.getAs(features), x, pending.size() * in, in);
            pending.add(r);
          }
          if (pending.isEmpty()) {
            return false;
          }
          int b = pending.size();
          // the fitted standardisation (standardize param), as in training
          network.preprocessing().standardize(x, b);
          float[] y = net.predict(params, x, null, null, b);
          for (int i = 0; i < b; i++) {
            ready.add(append(pending.get(i), outputs.values(y, i * width, width)));
          }
          return true;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return ready.get(next++);
        }
      };
    }
  }

  /** Writes {@code v} as floats into {@code x[at, at + n)} (sparse vectors densified), checking its size. */
  static void copy(Vector v, float[] x, int at, int n) {
    if (v.size() != n) {
      throw new IllegalArgumentException("the features vector has " + v.size() + " values but the network takes " + n);
    }
    if (v instanceof SparseVector s) {
      Arrays.fill(x, at, at + n, 0f);
      int[] idx = s.indices();
      double[] val = s.values();
      for (int i = 0; i < idx.length; i++) {
        x[at + idx[i]] = (float) val[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        x[at + i] = (float) v.apply(i);
      }
    }
  }

  private static Row append(Row r, Object[] extra) {
    int n = r.length();
    Object[] v = new Object[n + extra.length];
    for (int i = 0; i < n; i++) {
      v[i] = r.get(i);
    }
    System.arraycopy(extra, 0, v, n, extra.length);
    return RowFactory.create(v);
  }
}
