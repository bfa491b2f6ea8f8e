package io.sparkprop.cli;

import io.sparkprop.cli.config.OutputSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The output folder of a run: {@code --output DIR} exactly when given; otherwise
 * {@code output.dir/<name>-<yyyyMMdd-HHmmss>} (a suffix {@code -2}, {@code -3}, ... when two runs
 * start in the same second), or {@code output.dir} itself when {@code output.timestamped} is false.
 * What a {@code train} run leaves there:
 * <pre>
 *   model/                 the trained model (model.json + params.bin, core ModelIO)
 *   config.json            the effective config (file + overrides)
 *   history.csv, .json     per-epoch metrics
 *   training.png           loss and accuracy per epoch, training and validation
 *   metrics.json           test metrics and timings
 *   confusion-matrix.txt   for classifiers, on the test data (also .png)
 *   checkpoint             the latest checkpoint, when checkpointing is on (checkpoint.1: the one before)
 *   .sparkprop.lock        while the run is going ({@link OutputFolder})
 * </pre>
 */
public final class RunFolder {
  /** The model's sub-folder. */
  public static final String MODEL = "model";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private RunFolder() {
  }

  /** Creates and returns the folder for a run named {@code name}. */
  public static Path create(OutputSpec spec, String name, String outputFlag) throws IOException {
    if (outputFlag != null) {
      return Files.createDirectories(Path.of(outputFlag));
    }
    Path parent = Path.of(spec.dir());
    if (!spec.timestamped()) {
      return Files.createDirectories(parent);
    }
    Files.createDirectories(parent);
    String base = name + "-" + LocalDateTime.now().format(STAMP);
    for (int i = 1; ; i++) {
      Path p = parent.resolve(i == 1 ? base : base + "-" + i);
      try {
        return Files.createDirectory(p);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // taken by a run that started in the same second: try the next suffix
      }
    }
  }

  /**
   * The run folder a model folder belongs to: its parent when it is a run's {@code model/}
   * sub-folder, else the model folder itself.
   */
  public static Path ofModel(Path modelDir) {
    Path abs = modelDir.toAbsolutePath().normalize();
    return abs.getFileName() != null && abs.getFileName().toString().equals(MODEL) && abs.getParent() != null
        ? abs.getParent() : abs;
  }

  /**
   * Creates (or takes) the folder of a {@code train} run and holds it ({@link OutputFolder}: a
   * lock, and no existing run replaced without {@code overwrite}). The timestamped default folder
   * is always new; {@code --output} and an untimestamped {@code output.dir} may hold a run.
   */
  static OutputFolder claim(OutputSpec spec, String name, String outputFlag, boolean overwrite, String resume,
                            java.io.PrintWriter out) throws IOException {
    if (outputFlag == null && spec.timestamped()) {
      return OutputFolder.claim(create(spec, name, null), true, overwrite, resume, out);
    }
    return OutputFolder.claim(Path.of(outputFlag != null ? outputFlag : spec.dir()), overwrite, resume, out);
  }
}
