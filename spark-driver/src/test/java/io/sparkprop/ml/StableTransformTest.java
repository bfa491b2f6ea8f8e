package io.sparkprop.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.layer.Bidirectional;
import io.sparkprop.core.layer.Conv2D;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.layer.GRU;
import io.sparkprop.core.layer.GlobalAveragePooling1D;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.MaxPool2D;
import io.sparkprop.core.layer.MultiHeadAttention;
import io.sparkprop.core.layer.PositionalEmbedding;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.layer.TransformerEncoder;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.spark.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@code transform} gives every row the same bits whatever the block: for each kind of layer that
 * reaches a GEMM with the batch in it (Dense, Conv2D's im2col product, LSTM and GRU input and
 * recurrent products, attention and Transformer projections, Embedding stacks), the raw outputs
 * with {@code predictionBlockSize} 1, 3 and 1,024, on one partition and on a repartitioned input,
 * are {@code Arrays.equals}-identical per row and equal to the model's single-row
 * {@code predictRaw}.
 */
class StableTransformTest {
  /** One full block of 1,024 rows and a partial one. */
  private static final int N = 1100;
  private static final int OUT = 5;
  @LocalSpark static SparkSession spark;



  /** N rows (id, features): Gaussian floats, or token ids in [0, vocab) when vocab > 0; one partition. */
  private static Dataset<Row> data(int size, int vocab, long seed) {
    Rng rng = new Rng(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      double[] v = new double[size];
      for (int j = 0; j < size; j++) {
        v[j] = vocab > 0 ? rng.nextInt(vocab) : rng.nextGaussian();
      }
      rows.add(RowFactory.create(i, Vectors.dense(v)));
    }
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features", SQLDataTypes.VectorType());
    return spark.createDataFrame(rows, schema).coalesce(1).cache();
  }

  /** rawPrediction of every row by id. */
  private static double[][] raw(NeuralNetClassificationModel m, Dataset<Row> d) {
    double[][] out = new double[N][];
    for (Row r : m.transform(d).select("id", "rawPrediction").collectAsList()) {
      out[r.getInt(0)] = ((Vector) r.get(1)).toArray();
    }
    return out;
  }

  private static void sameBitsEverywhere(Shape input, int vocab, Layer... layers) {
    Model net = Model.init(Sequential.of(input, layers), new SoftmaxCrossEntropy(), 7);
    NeuralNetClassificationModel m = new NeuralNetClassificationModel("s", net, null);
    Dataset<Row> d = data(input.size(), vocab, 3);
    double[][] big = raw(m.setPredictionBlockSize(1024), d);
    double[][] spread = raw(m, d.repartition(3));
    double[][] three = raw(m.setPredictionBlockSize(3), d);
    double[][] one = raw(m.setPredictionBlockSize(1), d);
    List<Row> features = d.select("id", "features").collectAsList();
    for (Row r : features) {
      int i = r.getInt(0);
      double[] single = m.predictRaw((Vector) r.get(1)).toArray();
      assertThat(single).hasSize(OUT);
      assertThat(big[i]).as("row %d, blocks of 1,024 against the single-row predictRaw", i).isEqualTo(single);
      assertThat(spread[i]).as("row %d, repartitioned", i).isEqualTo(single);
      assertThat(three[i]).as("row %d, blocks of 3", i).isEqualTo(single);
      assertThat(one[i]).as("row %d, blocks of 1", i).isEqualTo(single);
    }
  }

  @Test
  void denseStack() {
    sameBitsEverywhere(Shape.of(20), 0, new Dense(64), new ReLU(), new Dense(32), new Tanh(), new Dense(OUT));
  }

  @Test
  void convolution() {
    sameBitsEverywhere(Shape.of(2, 9, 9), 0, new Conv2D(4, 3), new ReLU(), new MaxPool2D(2), new Flatten(),
        new Dense(OUT));
  }

  @Test
  void lstmAndBidirectionalGru() {
    sameBitsEverywhere(Shape.of(6, 5), 0, new LSTM(8, true), new Bidirectional(new GRU(4)), new Dense(OUT));
  }

  @Test
  void transformerEncoderOnShortSequences() {
    sameBitsEverywhere(Shape.of(6, 8), 0, new TransformerEncoder(2, 16), new GlobalAveragePooling1D(),
        new Dense(OUT));
  }

  @Test
  void embeddingStacks() {
    sameBitsEverywhere(Shape.of(6), 30, new Embedding(30, 8), new PositionalEmbedding(6), new MultiHeadAttention(2),
        new GlobalAveragePooling1D(), new Dense(OUT));
    sameBitsEverywhere(Shape.of(6), 30, new Embedding(30, 8), new LSTM(6), new Dense(OUT));
  }
}
