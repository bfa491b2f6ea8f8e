package io.sparkprop.core.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.io.Json;
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
 * {@code batch} dimension. Outputs: for a classifier (softmax or sigmoid cross-entropy)
 * {@value #LOGITS} (the raw network output) and {@value #PROBABILITIES} (its softmax or
 * sigmoid); for regression {@value #PREDICTIONS}. The metadata names the producer
 * ({@code sparkprop} and its version) and holds the architecture, loss and training information
 * as JSON.
 */
public final class OnnxExport {
  /** The graph input's name. */
  public static final String INPUT = "features";
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
    encode(model, training).writeTo(out);
  }

  /** The ONNX file's bytes for {@code model}, as {@link #write} writes them. */
  public static byte[] toBytes(Model model, JsonNode training) {
    return encode(model, training).toByteArray();
  }

  /** The whole model message, built in memory so that an unexportable layer fails before any byte is written. */
  static ProtoMessage encode(Model model, JsonNode training) {
    Sequential arch = model.architecture();
    Loss loss = model.loss();
    if (!(loss instanceof SoftmaxCrossEntropy || loss instanceof SigmoidBinaryCrossEntropy
        || loss instanceof RegressionLoss)) {
      throw new IllegalArgumentException("loss " + loss.getClass().getSimpleName()
          + " has no ONNX form for its predictions in this build; the model cannot be exported");
    }
    OnnxProto.Graph graph = new OnnxProto.Graph("sparkprop_model");
    graph.input(OnnxProto.batchedFloat(INPUT, arch.inputShape().dims()));
    GraphBuilder g = new GraphBuilder(graph, arch.layout(), model.params(), INPUT, arch.inputShape());
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
    }
    return OnnxProto.model(graph.message, PRODUCER, version(), metadata(model, training));
  }

  private static Map<String, String> metadata(Model model, JsonNode training) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("producer", PRODUCER);
    m.put("sparkprop.version", version());
    m.put("sparkprop.architecture", Json.toJson(model.architecture()));
    m.put("sparkprop.loss", Json.toJson(model.loss()));
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
