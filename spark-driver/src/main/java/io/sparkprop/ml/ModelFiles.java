package io.sparkprop.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.data.Preprocessing;
import io.sparkprop.core.io.CannotWriteException;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.io.ModelFile;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.io.ParamsFile;
import io.sparkprop.core.model.Model;
import io.sparkprop.spark.fs.HadoopFiles;
import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * Persistence of the fitted models, in MLlib's layout: {@code PATH/metadata} holds the class,
 * uid and params ({@link DefaultParamsWriter}), and {@code PATH/data/} the network as a core
 * model folder ({@value ModelIO#MODEL_JSON} and {@value ModelIO#PARAMS_BIN}, written with the
 * {@link ModelIO} stream methods; the training summary goes into model.json's
 * {@code "training"} node). Any Hadoop file system works. Each file is written atomically by
 * {@link HadoopFiles}, {@code params.bin} first; a failure reads {@code cannot write <path>: <reason>}.
 * {@code PATH/data/} is also readable on its own with {@code ModelIO.load}.
 */
final class ModelFiles {
  static final String DATA = "data";

  private ModelFiles() {
  }

  /** A loaded network with its summary (null when none was saved). */
  record Loaded(Model model, NeuralNetTrainingSummary summary, Preprocessing preprocessing) {
  }

  /** Builds a fitted model from its uid and files. */
  interface Factory<M> {
    M create(String uid, Model network, NeuralNetTrainingSummary summary, Preprocessing preprocessing);
  }

  /**
   * Writes {@code network} (and {@code summary}, may be null) under {@code PATH/data}, with the
   * fitted standardisation as {@code preprocessing.json} when there is one (the CLI's file, so
   * that {@code PATH/data} is a model folder {@code Predictor.load} reads).
   */
  static void save(Model network, NeuralNetTrainingSummary summary, Preprocessing pre, String path,
                   Configuration conf) throws IOException {
    Path dir = new Path(path, DATA);
    if (pre != null && !pre.isNone()) {
      HadoopFiles.write(conf, new Path(dir, Preprocessing.FILE), out -> Json.writePretty(pre.toJson(), out));
    }
    ModelFile header = ModelFile.of(network, summary == null ? null : summary.toJson());
    HadoopFiles.write(conf, new Path(dir, ModelIO.PARAMS_BIN),
        out -> ParamsFile.write(network.params(), network.architecture().layout(), out));
    HadoopFiles.write(conf, new Path(dir, ModelIO.MODEL_JSON), out -> ModelIO.writeHeader(header, out));
  }

  /** Reads the network saved under {@code PATH/data}. */
  static Loaded load(String path, Configuration conf) throws IOException {
    Path dir = new Path(path, DATA);
    FileSystem fs = dir.getFileSystem(conf);
    Path json = new Path(dir, ModelIO.MODEL_JSON);
    Path bin = new Path(dir, ModelIO.PARAMS_BIN);
    ModelFile header;
    try (FSDataInputStream in = open(fs, json)) {
      header = ModelIO.readHeader(new BufferedInputStream(in, 1 << 16), json.toString());
    }
    Model model;
    try (FSDataInputStream in = open(fs, bin)) {
      model = ModelIO.readModel(header, new BufferedInputStream(in, 1 << 16), bin.toString());
    }
    NeuralNetTrainingSummary summary = header.training() == null ? null
        : NeuralNetTrainingSummary.fromJson(header.training(), json.toString());
    Path pre = new Path(dir, Preprocessing.FILE);
    Preprocessing preprocessing = Preprocessing.NONE;
    if (fs.exists(pre)) {
      try (FSDataInputStream in = fs.open(pre)) {
        preprocessing = Preprocessing.fromJson(Json.readTree(in, pre.toString()), pre.toString());
      }
    }
    return new Loaded(model, summary, preprocessing);
  }

  private static FSDataInputStream open(FileSystem fs, Path p) throws IOException {
    try {
      return fs.open(p);
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException(p + " does not exist: not a saved sparkprop model (expected "
          + ModelIO.MODEL_JSON + " and " + ModelIO.PARAMS_BIN + " under " + p.getParent() + ")");
    }
  }

  /** Saves a fitted model: params metadata, then the network files. */
  static final class Writer extends MLWriter {
    private final Params instance;
    private final Model network;
    private final NeuralNetTrainingSummary summary;
    private final Preprocessing preprocessing;

    Writer(Params instance, Model network, NeuralNetTrainingSummary summary, Preprocessing preprocessing) {
      this.instance = instance;
      this.network = network;
      this.summary = summary;
      this.preprocessing = preprocessing;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
      try {
        ModelFiles.save(network, summary, preprocessing, path, sc().hadoopConfiguration());
      } catch (CannotWriteException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the model to " + path + ": " + e.getMessage(), e);
      }
    }
  }

  /** Loads a fitted model of class {@code type}. */
  static final class Reader<M extends Params> extends MLReader<M> {
    private final Class<M> type;
    private final Factory<M> factory;

    Reader(Class<M> type, Factory<M> factory) {
      this.type = type;
      this.factory = factory;
    }

    @Override
    public M load(String path) {
      DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(), type.getName());
      Loaded l;
      try {
        l = ModelFiles.load(path, sc().hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the model at " + path + ": " + e.getMessage(), e);
      }
      M model = factory.create(meta.uid(), l.model(), l.summary(), l.preprocessing());
      meta.getAndSetParams(model, scala.Option.empty());
      return model;
    }
  }
}
