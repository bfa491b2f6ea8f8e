package io.sparkprop.core.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.data.Preprocessing;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.RegressionLoss;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Writes a model as an ONNX model (IR version {@value OnnxProto#IR_VERSION}, default-domain
 * opset {@value OnnxProto#OPSET}) computing at inference what {@link Model#predict} computes.
 *
 * <p>Graph input {@value #INPUT}: float {@code [batch, sample shape...]} with a symbolic
 * {@code batch} dimension; for a token model (first layer an Embedding) {@value #IDS} instead:
 * int64 {@code [batch, T]}, 0 = padding, from which the graph derives each sample's length (one
 * past its last non-zero id, as {@link io.sparkprop.core.data.DataSet#lengthsOf}) and the padding
 * mask. A float sequence model {@code [batch, T, F]} whose layers read the padding mask also has
 * the input {@value #LENGTHS} (int64 {@code [batch]}, as {@code DataSet.ofSequences} takes
 * them; {@code T} where every step is real). With a {@link Preprocessing}, the graph takes
 * raw features: it starts with {@code (x − mean)·scale}. Outputs: for a classifier (softmax or
 * sigmoid cross-entropy) {@value #LOGITS} (the raw network output) and {@value #PROBABILITIES}
 * (its softmax or sigmoid), plus {@value #LABEL} (double {@code [batch]}, the original label of the
 * predicted class) when the preprocessing maps number labels; for regression {@value #PREDICTIONS}.
 * String labels get no {@value #LABEL} output (it is a double tensor; a second, string-typed
 * output would be one more thing every consumer must special-case): the metadata key
 * {@value #LABELS_KEY} holds them as a JSON array of strings, class {@code i} at index {@code i},
 * and a caller maps the argmax of {@value #PROBABILITIES} through it. The
 * metadata names the producer ({@code sparkprop} and its version) and holds the architecture,
 * loss, preprocessing, label mapping and training information as JSON.
 */
public final class OnnxExport {
  /** The graph input's name. */
  public static final String INPUT = "features";
  /** The graph input of a token model: int64 ids {@code [batch, T]}, 0 = padding. */
  public static final String IDS = "ids";
  /**
   * The second input of a float-sequence model whose layers mask padded steps: int64
   * {@code [batch]}, each sample's real steps in {@code [1, T]} ({@code T} for a sequence with no
   * padding).
   */
  public static final String LENGTHS = "lengths";
  /** The predicted original label (double {@code [batch]}) of a classifier whose labels are mapped. */
  public static final String LABEL = "label";
  /** Metadata key of the label mapping: a JSON array (numbers or strings), the original label of each class. */
  public static final String LABELS_KEY = "sparkprop.labels";
  /** The raw-output graph output of a classifier. */
  public static final String LOGITS = "logits";
  /** The probabilities graph output of a classifier. */
  public static final String PROBABILITIES = "probabilities";
  /** The graph output of a regression model. */
  public static final String PREDICTIONS = "predictions";
  /** The producer name in the model and its metadata. */
  public static final String PRODUCER = "sparkprop";

  private OnnxExport() {
  }

  /**
   * Writes {@code model} as ONNX to {@code out} (not closed), with {@code training} (how it was
   * trained, e.g. the run's config; may be null) in the metadata. Nothing is written when the
   * model cannot be exported.
   *
   * @throws IllegalArgumentException naming the layer (or loss) that has no ONNX form
   */
  public static void write(Model model, JsonNode training, OutputStream out) throws IOException {
    encode(model, Preprocessing.NONE, training).writeTo(out);
  }

  /** The ONNX file's bytes for {@code model}, as {@link #write} writes them. */
  public static byte[] toBytes(Model model, JsonNode training) {
    return toBytes(model, Preprocessing.NONE, training);
  }

  /**
   * The ONNX file's bytes for {@code model} whose samples are preprocessed by {@code pre} (null:
   * none): the graph takes raw features.
   *
   * @throws IllegalArgumentException naming the layer (or loss, or preprocessing) that has no ONNX form
   */
  public static byte[] toBytes(Model model, Preprocessing pre, JsonNode training) {
    return encode(model, pre == null ? Preprocessing.NONE : pre, training).toByteArray();
  }

  /** The whole model message, built in memory so that an unexportable layer fails before any byte is written. */
  static ProtoMessage encode(Model model, Preprocessing pre, JsonNode training) {
    Sequential arch = model.architecture();
    Loss loss = model.loss();
    if (!(loss instanceof SoftmaxCrossEntropy || loss instanceof SigmoidBinaryCrossEntropy
        || loss instanceof RegressionLoss)) {
      throw new IllegalArgumentException("loss " + loss.getClass().getSimpleName()
          + " has no ONNX form for its predictions in this build; the model cannot be exported");
    }
    OnnxProto.Graph graph = new OnnxProto.Graph("sparkprop_model");
    boolean tokens = !arch.layers().isEmpty() && arch.layers().get(0) instanceof Embedding;
    String input = tokens ? IDS : INPUT;
    graph.input(OnnxProto.batched(input, tokens ? OnnxProto.INT64 : OnnxProto.FLOAT, arch.inputShape().dims()));
    GraphBuilder g = new GraphBuilder(graph, arch.layout(), model.params(), input, arch.inputShape());
    if (tokens) {
      g.tokenInput(IDS, arch.inputShape().dim(0));
    } else if (arch.inputShape().rank() == 2) {
      g.sequenceInput(LENGTHS, arch.inputShape().dim(0));
    }
    standardize(g, pre, arch.inputShape(), tokens);
    List<Shape> shapes = arch.shapes();
    for (int i = 0; i < arch.layers().size(); i++) {
      Layer layer = arch.layers().get(i);
      LayerForms.Form<Layer> form = LayerForms.of(layer, i);
      g.beginLayer(i, layer.kind());
      g.endLayer(form.emit(layer, g), shapes.get(i + 1));
    }
    Shape out = arch.outputShape();
    g.beginLayer(arch.layers().size(), "output");
    if (loss instanceof RegressionLoss) {
      g.nodeTo("Identity", new String[] {g.value()}, PREDICTIONS);
      graph.output(OnnxProto.batchedFloat(PREDICTIONS, out.dims()));
    } else {
      String probs = loss instanceof SoftmaxCrossEntropy ? g.softmax(g.value(), out) : g.node("Sigmoid", g.value());
      g.nodeTo("Identity", new String[] {g.value()}, LOGITS);
      g.nodeTo("Identity", new String[] {probs}, PROBABILITIES);
      graph.output(OnnxProto.batchedFloat(LOGITS, out.dims()));
      graph.output(OnnxProto.batchedFloat(PROBABILITIES, out.dims()));
      if (pre.labels() != null) {
        labelOutput(g, pre.labels(), out);
        graph.output(OnnxProto.batched(LABEL, OnnxProto.DOUBLE, new int[0]));
      }
    }
    return OnnxProto.model(graph.message, PRODUCER, version(), metadata(model, pre, training));
  }

  /** {@code (x − mean)·scale} per feature at the graph's start (Sub and Mul broadcast over the batch). */
  private static void standardize(GraphBuilder g, Preprocessing pre, Shape sample, boolean tokens) {
    if (pre.mean() == null) {
      return;
    }
    if (tokens || pre.mean().length != sample.size()) {
      throw new IllegalArgumentException("the preprocessing standardises " + pre.mean().length
          + " features but the model takes " + (tokens ? "token ids " : "") + sample
          + "; the model cannot be exported with it");
    }
    long[] dims = new long[sample.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = sample.dim(i);
    }
    float[] mean = new float[pre.mean().length];
    float[] scale = new float[mean.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) pre.mean()[i];
      scale[i] = (float) pre.scale()[i];
    }
    g.begin("preprocessing");
    String centred = g.node("Sub", new String[] {g.value(), g.floats("mean", dims, mean)});
    g.endLayer(g.node("Mul", new String[] {centred, g.floats("scale", dims, scale)}), sample);
  }

  /**
   * The original label of the predicted class, as sparkprop's predictClasses picks it: argmax of
   * the flat logits, or logit > 0 for a single sigmoid output; then a Gather from the label table.
   * Classes beyond the table (the training data had fewer labels than the model has outputs) map
   * to NaN rather than failing at serving time.
   */
  private static void labelOutput(GraphBuilder g, double[] labels, Shape out) {
    int width = out.size();
    String logits = g.flat(g.value(), out);
    String cls = width == 1
        ? g.node("Cast", g.node("Greater", new String[] {g.reshape(logits, -1), g.scalar("zero", 0f)}),
            OnnxProto.attr("to", (long) OnnxProto.INT64))
        : g.node("ArgMax", logits, OnnxProto.attr("axis", 1L), OnnxProto.attr("keepdims", 0L));
    double[] table = java.util.Arrays.copyOf(labels, Math.max(labels.length, Math.max(width, 2)));
    java.util.Arrays.fill(table, labels.length, table.length, Double.NaN);
    g.nodeTo("Gather", new String[] {g.doubles("labels", table), cls}, LABEL, OnnxProto.attr("axis", 0L));
  }

  private static Map<String, String> metadata(Model model, Preprocessing pre, JsonNode training) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("producer", PRODUCER);
    m.put("sparkprop.version", version());
    m.put("sparkprop.architecture", Json.toJson(model.architecture()));
    m.put("sparkprop.loss", Json.toJson(model.loss()));
    if (!pre.isNone()) {
      m.put("sparkprop.preprocessing", pre.toJson().toString());
    }
    if (pre.labels() != null) {
      m.put(LABELS_KEY, Json.toJson(pre.labels()));
    } else if (pre.labelStrings() != null) {
      m.put(LABELS_KEY, Json.toJson(pre.labelStrings()));
    }
    if (training != null && !training.isNull() && !training.isMissingNode()) {
      m.put("sparkprop.training", training.toString());
    }
    return m;
  }

  /** This build's version, from the resource Maven fills in ("unknown" if it is missing). */
  public static String version() {
    try (InputStream in = OnnxExport.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
