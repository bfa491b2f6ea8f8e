package io.sparkprop.cli;

import io.sparkprop.core.io.ModelFile;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.model.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code export}: a saved model as a file for serving outside sparkprop. The only format is ONNX
 * (see {@link io.sparkprop.core.onnx.OnnxExport}), with the model's training information in its
 * metadata. The folder's {@code preprocessing.json} goes into the graph: it takes raw features and
 * standardises them itself, and a label mapping gives a {@code label} output and metadata. A model that cannot be exported or a path that cannot be written gives one line and
 * leaves no file.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a saved model for serving (ONNX, read by ONNX Runtime and other runtimes).")
final class ExportCommand implements Callable<Integer> {

  /** The export formats. */
  enum Format { onnx }

  @Spec
  CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL_DIR", description = "The saved model folder.")
  Path model;

  @Option(names = "--format", paramLabel = "FORMAT", description = "The file format: ${COMPLETION-CANDIDATES} "
      + "(default ${DEFAULT-VALUE}).")
  Format format = Format.onnx;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The file to write.")
  Path output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ModelFile header = ModelIO.readHeader(model);
    Model m;
    Path bin = model.resolve(ModelIO.PARAMS_BIN);
    try (InputStream in = Files.newInputStream(bin)) {
      m = ModelIO.readModel(header, in, bin.toString());
    }
    Preprocessing pre = Preprocessing.load(model);
    try {
      ModelIO.exportOnnx(m, pre.spec(), header.training(), output);
    } catch (IllegalArgumentException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: cannot export " + model + ": " + e.getMessage());
      err.flush();
      return Main.USAGE;
    } catch (IOException e) {
      throw new IOException("cannot write " + output + ": " + reason(e), e);
    }
    out.printf(Locale.ROOT, "exported %s (%s, %,d parameters%s) to %s (%,d bytes)%n", model, format,
        m.params().length, describe(pre), output, Files.size(output));
    out.flush();
    return 0;
  }

  /** What of {@code preprocessing.json} went into the graph. */
  private static String describe(Preprocessing pre) {
    String s = pre.mean() == null ? "" : ", standardisation in the graph";
    return !pre.mapsLabels() ? s : s + ", " + pre.spec().labelCount() + (pre.spec().stringLabels()
        ? " string labels in the metadata" : " labels mapped");
  }

  /** A short reason for a failed write (file-system exceptions often carry only the path). */
  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file stands where a folder is needed (" + ((FileSystemException) e).getFile() + ")";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
