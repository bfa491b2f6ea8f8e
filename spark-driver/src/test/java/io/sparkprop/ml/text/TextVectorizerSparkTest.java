package io.sparkprop.ml.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.GlobalAveragePooling1D;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.text.TextConfig;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.core.tensor.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vocabulary counted with Spark equals the in-JVM one exactly (ties included); the spark.ml
 * pair writes the core ids, survives save/load and Pipelines, and bad input gets one line.
 */
class TextVectorizerSparkTest {
  @TempDir
  static Path dir;
  @LocalSpark
  private static SparkSession spark;
  private static List<String> texts;
  private static Dataset<Row> frame;

  @BeforeAll
  static void start() {
    // 400 texts over a 60-word Zipf-like vocabulary: many exact ties between counts
    Rng rng = new Rng(3);
    texts = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + rng.nextInt(12);
      for (int k = 0; k < n; k++) {
        int w = (int) (60 * rng.nextDouble() * rng.nextDouble());
        b.append(k == 0 ? "" : (k % 3 == 0 ? ", " : " ")).append(w % 2 == 0 ? "Word" : "w").append(w);
      }
      texts.add(b.toString());
      rows.add(RowFactory.create(b.toString(), (double) (i % 2), i));
    }
    StructType schema = new StructType().add("text", DataTypes.StringType).add("label", DataTypes.DoubleType)
        .add("id", DataTypes.IntegerType);
    frame = spark.createDataFrame(rows, schema).repartition(3).cache();
  }

  @Test
  void sparkVocabularyEqualsTheInJvmOne() {
    for (TextConfig c : List.of(TextConfig.DEFAULTS.withMinCount(3),
        TextConfig.DEFAULTS.withMaxTokens(17), TextConfig.DEFAULTS.characters())) {
      io.sparkprop.core.text.TextVectorizer local = io.sparkprop.core.text.TextVectorizer.fit(c, texts);
      assertThat(SparkTextVocabulary.fit(frame, "text", c).vocabulary()).as(c.toString())
          .isEqualTo(local.vocabulary());
    }
  }

  @Test
  void modelWritesTheCoreIdsAndRoundTrips() throws Exception {
    TextVectorizer est = new TextVectorizer().setInputCol("text").setOutputCol("ids").setMinCount(2)
        .setMaxLength(5);
    TextVectorizerModel m = est.fit(frame);
    io.sparkprop.core.text.TextVectorizer local =
        io.sparkprop.core.text.TextVectorizer.fit(TextConfig.DEFAULTS.withMinCount(2).withMaxLength(5), texts);
    assertThat(m.vectorizer().vocabulary()).isEqualTo(local.vocabulary());
    assertThat(m.vocabulary()[0]).isEmpty();
    assertThat(m.vocabulary()[1]).isEqualTo("[UNK]");
    Dataset<Row> out = m.transform(frame);
    assertThat(out.schema().apply("ids").dataType())
        .isEqualTo(DataTypes.createArrayType(DataTypes.IntegerType, false));
    for (Row r : out.select("text", "ids").collectAsList()) {
      int[] want = local.encode(r.getString(0));
      List<Integer> got = r.getList(1);
      assertThat(got).hasSize(5);
      for (int i = 0; i < 5; i++) {
        assertThat(got.get(i)).isEqualTo(want[i]);
      }
    }
    String path = dir.resolve("model").toString();
    m.write().overwrite().save(path);
    TextVectorizerModel back = TextVectorizerModel.load(path);
    assertThat(back.uid()).isEqualTo(m.uid());
    assertThat(back.vectorizer().vocabulary()).isEqualTo(m.vectorizer().vocabulary());
    assertThat(back.transform(frame).select("ids").collectAsList()).isEqualTo(out.select("ids").collectAsList());
    est.write().overwrite().save(dir.resolve("est").toString());
    assertThat(TextVectorizer.load(dir.resolve("est").toString()).config()).isEqualTo(est.config());
  }

  /** The ids column is what SparkTrainer takes for a token model: fixed length, 0-padded. */
  @Test
  void idsFeedATokenModelThroughSparkTrainer() {
    TextVectorizerModel m = new TextVectorizer().setInputCol("text").setOutputCol("features").setMaxLength(8)
        .fit(frame);
    int vocab = m.vectorizer().size();
    Sequential arch = Sequential.of(Shape.of(8), new Embedding(vocab, 4), new GlobalAveragePooling1D(), new Dense(2));
    Model model = Model.init(arch, new SoftmaxCrossEntropy(), 1);
    History h = new SparkTrainer(TrainingConfig.DEFAULTS.withEpochs(1).withBatchSize(50), SparkOptions.DEFAULTS
        .withPartitions(2)).fit(model, m.transform(frame).select("features", "label"), null);
    assertThat(h.last().samples()).isEqualTo(400);
    assertThat(model.params()).isNotEqualTo(Model.init(arch, new SoftmaxCrossEntropy(), 1).params());
  }

  @Test
  void worksInsideASavedPipeline() throws Exception {
    Pipeline pipe = new Pipeline().setStages(new PipelineStage[] {
        new TextVectorizer().setInputCol("text").setSplit("character").setMaxLength(8)});
    PipelineModel pm = pipe.fit(frame);
    String path = dir.resolve("pipeline").toString();
    pm.write().overwrite().save(path);
    PipelineModel back = PipelineModel.load(path);
    assertThat(back.transform(frame).select("tokens").collectAsList())
        .isEqualTo(pm.transform(frame).select("tokens").collectAsList());
  }

  @Test
  void badInputGetsOneLine() {
    TextVectorizer est = new TextVectorizer().setInputCol("id");
    assertThatThrownBy(() -> est.fit(frame)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("text column 'id' must hold strings, it holds int");
    assertThatThrownBy(() -> new TextVectorizer().setInputCol("body").fit(frame))
        .hasMessage("text column 'body' does not exist; the columns are text, label, id");
    TextVectorizerModel m = new TextVectorizer().setInputCol("text").fit(frame);
    Dataset<Row> empty = spark.createDataFrame(List.of(RowFactory.create("w1 w2"), RowFactory.create(" ;; ")),
        new StructType().add("text", DataTypes.StringType));
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> m.transform(empty).collectAsList());
    while (t.getCause() != null && !(t instanceof IllegalArgumentException)) {
      t = t.getCause();
    }
    assertThat(t).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("column 'text': the text has no tokens (\" ;; \")");
    assertThatThrownBy(() -> m.transform(frame.withColumnRenamed("label", "tokens")))
        .hasMessageContaining("output column 'tokens' already exists");
  }
}
