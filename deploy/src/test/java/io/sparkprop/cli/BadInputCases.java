package io.sparkprop.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus of {@link BadInputCliTest}: every way a user or operator was seen to get a command
 * wrong, as one row each (case, command line, expected exit code, expected message fragment).
 * A new reader, flag or config key adds its rows here.
 */
final class BadInputCases {
  /** One row. {@code outputRemoved}: the run folder the command names must not exist afterwards. */
  record Case(String name, List<String> args, int code, String fragment, boolean outputRemoved) {
    @Override
    public String toString() {
      return name;
    }
  }

  private final Path dir;
  private final List<Case> cases = new ArrayList<>();

  private BadInputCases(Path dir) {
    this.dir = dir;
  }

  String file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p.toString();
  }

  static String csv(String path) {
    return "{\"format\": \"csv\", \"path\": \"" + path + "\", \"header\": true}";
  }

  static String libsvm(String path) {
    return "{\"format\": \"libsvm\", \"path\": \"" + path + "\"}";
  }

  /** A config: {@code model} and {@code training} JSON objects' bodies, the train source and extra data keys. */
  String config(String name, String model, String training, String train, String extra) throws IOException {
    return file(name + ".json", """
        {"name": "%s",
         "model": {%s},
         "training": {"optimizer": {"type": "sgd", "learningRate": 0.1}, "epochs": 1, "batchSize": 4%s},
         "data": {"train": %s%s}}
        """.formatted(name, model, training, train, extra));
  }

  static final String SOFTMAX3 = "\"layers\": [{\"type\": \"dense\", \"units\": 3}], "
      + "\"loss\": {\"type\": \"softmax_cross_entropy\"}";
  static final String GOOD = "x1,x2,label\n1,2,0\n3,4,1\n5,6,2\n1,1,0\n2,2,1\n3,3,2\n";

  /** A train run of a 3-class model on {@code train} (+ {@code extra} data keys) that fails with exit code 2. */
  void data(String name, String train, String extra, String fragment) throws IOException {
    train(name, SOFTMAX3, "", train, extra, 2, fragment);
  }

  void train(String name, String model, String training, String train, String extra, int code, String fragment,
             String... flags) throws IOException {
    String id = "c" + Integer.toHexString(name.hashCode());
    String cfg = config(id, model, training, train, extra);
    List<String> args = new ArrayList<>(List.of("train", "--config", cfg, "--progress", "none", "--output",
        dir.resolve("out-" + id).toString()));
    args.addAll(List.of(flags));
    cases.add(new Case(name, args, code, fragment, true));
  }

  void command(String name, int code, String fragment, String... args) {
    cases.add(new Case(name, List.of(args), code, fragment, false));
  }

  /** A port on this host where nothing listens (just closed). */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static List<Case> all(Path dir) throws IOException {
    BadInputCases c = new BadInputCases(dir);
    String good = c.file("ok.csv", GOOD);
    // data files: the readers name file, line and column
    c.data("misspelled column", "{\"format\": \"csv\", \"path\": \"" + good + "\", \"header\": true, "
        + "\"label\": \"lable\"}", "", "ok.csv: there is no column 'lable'; the header names [x1, x2, label]");
    c.data("unknown feature", csv(c.file("ok2.csv", GOOD)), ", \"features\": [\"x1\", \"x3\"]",
        "ok2.csv: there is no column 'x3'; the header names [x1, x2, label]");
    c.data("suffixed number", csv(c.file("d.csv", "x1,x2,label\n1,2,0\n5d,4,1\n")), "",
        "d.csv, line 3, column 'x1': '5d' is not a number");
    c.data("hex number", csv(c.file("hex.csv", "x1,x2,label\n1,0x1p3,0\n")), "",
        "hex.csv, line 2, column 'x2': '0x1p3' is not a number");
    c.data("word for a number", csv(c.file("abc.csv", "x1,x2,label\n1,abc,0\n")), "",
        "abc.csv, line 2, column 'x2': 'abc' is not a number");
    c.data("NaN", csv(c.file("nan.csv", "x1,x2,label\n1,2,0\n1,NaN,1\n")), "",
        "nan.csv, line 3, column 'x2': 'NaN' is not a finite number");
    c.data("infinite", csv(c.file("inf.csv", "x1,x2,label\n1,2,0\n1,1e999,1\n")), "",
        "inf.csv, line 3, column 'x2': '1e999' is not a finite number");
    c.data("wrong feature count", csv(c.file("ragged.csv", "x1,x2,label\n1,2,0\n1,1\n")), "",
        "ragged.csv, line 3: found 2 columns, expected 3 (as the first line of the first file)");
    c.data("empty file", csv(c.file("empty.csv", "")), "", "empty.csv: the file is empty");
    c.data("empty folder", csv(Files.createDirectories(dir.resolve("nothing")).toString()), "",
        "nothing/: the folder holds no data file");
    c.data("missing local file", csv(dir.resolve("absent.csv").toString()), "",
        "data.train.path: file not found: " + dir.resolve("absent.csv"));
    c.data("missing file behind a URI", csv(dir.resolve("gone.csv").toUri().toString()), "",
        "gone.csv: no such file or folder");
    c.data("test label outside the classes", csv(c.file("t.csv", GOOD)),
        ", \"test\": " + csv(c.file("t-test.csv", "x1,x2,label\n1,2,0\n1,2,7\n")),
        "t-test.csv, line 3, column 'label': label 7.0 is not an integer class in [0, 3)");
    c.data("too many labels", csv(c.file("many.csv", GOOD + "1,1,3\n1,1,4\n")), "",
        "error: data.train: more than 3 distinct labels (e.g. [");
    // string labels (csv, json): class i is the i-th string; the test data's labels are checked against them
    String words = "x1,x2,label\n1,2,ham\n3,4,spam\n5,6,eggs\n1,1,ham\n2,2,spam\n3,3,eggs\n";
    c.data("test string label not in the training data", csv(c.file("words.csv", words)),
        ", \"test\": " + csv(c.file("words-test.csv", "x1,x2,label\n1,2,ham\n1,2,bacon\n")),
        "words-test.csv, line 3, column 'label': label 'bacon' is not one of the 3 labels of the training data "
            + "['eggs', 'ham', 'spam']");
    c.data("json number label after string labels", "{\"format\": \"json\", \"path\": \"" + c.file("mail.jsonl",
        "{\"a\": 1, \"b\": 2, \"label\": \"spam\"}\n{\"a\": 1, \"b\": 3, \"label\": 1}\n") + "\"}", "",
        "mail.jsonl, line 2, key 'label': 1 is not a string (the labels are strings, as in the first line)");
    c.train("string labels with a regression loss", "\"layers\": [{\"type\": \"dense\", \"units\": 1}], "
        + "\"loss\": {\"type\": \"mean_squared_error\"}", "", csv(c.file("words2.csv", words)), "", 2,
        "data.train: the labels are strings (e.g. '");
    c.data("libsvm 0-based index", libsvm(c.file("zero.libsvm", "0 1:1 2:1\n1 0:1\n")), "",
        "zero.libsvm, line 2: index 0 (indices are 1-based)");
    c.data("libsvm unsorted", libsvm(c.file("order.libsvm", "0 2:1 1:1\n")), "",
        "order.libsvm, line 1: index 1 after 2 (indices must be in ascending order)");
    c.data("libsvm duplicate", libsvm(c.file("dup.libsvm", "0 1:1\n1 2:1 2:3\n")), "",
        "dup.libsvm, line 2: index 2 appears twice");
    c.data("libsvm past numFeatures", "{\"format\": \"libsvm\", \"numFeatures\": 2, \"path\": \""
        + c.file("past.libsvm", "0 1:1\n1 3:1\n") + "\"}", "", "past.libsvm, line 2: index 3 is past numFeatures 2");
    c.data("libsvm word for a value", libsvm(c.file("abc.libsvm", "0 1:1\n1 1:abc\n")), "",
        "abc.libsvm, line 2");
    c.data("json missing key", "{\"format\": \"json\", \"path\": \""
        + c.file("rows.jsonl", "{\"a\": 1, \"b\": 2, \"label\": 0}\n{\"a\": 1, \"label\": 1}\n") + "\"}", "",
        "rows.jsonl, line 2, key 'b': missing");
    c.data("features by name on libsvm", libsvm(c.file("names.libsvm", "0 1:1\n")), ", \"features\": [\"a\"]",
        "data.features: libsvm data (data.train) has no column names");
    // sample weights (data.weightCol): a number >= 0 in every training row, csv/json/parquet only
    String weights = ", \"weightCol\": \"w\"";
    c.data("weight column missing", csv(c.file("now.csv", GOOD)), weights,
        "now.csv: there is no weight column 'w' (weightCol); the columns are [x1, x2, label]");
    c.data("weight not a number", csv(c.file("wabc.csv", "x1,x2,w,label\n1,2,1,0\n3,4,heavy,1\n")), weights,
        "wabc.csv, line 3, column 'w': 'heavy' is not a number");
    c.data("weight NaN", csv(c.file("wnan.csv", "x1,x2,w,label\n1,2,NaN,0\n")), weights,
        "wnan.csv, line 2, column 'w': 'NaN' is not a finite number");
    c.data("weight negative", "{\"format\": \"json\", \"path\": \"" + c.file("wneg.jsonl",
        "{\"x1\": 1, \"x2\": 2, \"w\": 1, \"label\": 0}\n{\"x1\": 1, \"x2\": 2, \"w\": -1, \"label\": 1}\n") + "\"}",
        weights, "wneg.jsonl, line 2, key 'w': weight -1.0 is not a finite number >= 0");
    c.data("weight column with libsvm", libsvm(c.file("w.libsvm", "0 1:1\n")), weights,
        "data.weightCol: libsvm data (train) has no columns, so it cannot hold a sample weight column");
    c.data("weight column with an idx test set", csv(c.file("widx.csv", "x1,w,label\n1,1,0\n")), weights
        + ", \"test\": {\"format\": \"idx\", \"images\": \"" + c.file("wi.idx", "x") + "\", \"labels\": \""
        + c.file("wl.idx", "x") + "\"}", "data.weightCol: idx data (test) has no columns");
    c.data("idx labels not an idx file", "{\"format\": \"idx\", \"images\": \"" + c.file("i.idx", "not idx")
        + "\", \"labels\": \"" + c.file("l.idx", "nor this") + "\"}", "", "i.idx");

    // the model against the data: checked before epoch 1
    String tiny = csv(c.file("tiny.csv", GOOD));
    c.train("conv2d on flat input", "\"layers\": [{\"type\": \"conv2d\", \"filters\": 2, \"kernelSize\": 3}, "
        + "{\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 3}], \"loss\": {\"type\": \"softmax_cross_entropy\"}",
        "", tiny, "", 2, "model: layer 0 (conv2d) cannot take input (2)");
    c.train("units overflow", "\"layers\": [{\"type\": \"dense\", \"units\": 3000000}, {\"type\": \"dense\", "
        + "\"units\": 3000}], \"loss\": {\"type\": \"softmax_cross_entropy\"}", "", tiny, "", 2,
        "model.layers[1] (dense): 9,000,003,000 parameters on input (3000000)");
    c.train("model larger than the heap", "\"layers\": [{\"type\": \"dense\", \"units\": 20000}, {\"type\": "
        + "\"dense\", \"units\": 20000}, {\"type\": \"dense\", \"units\": 3}], \"loss\": {\"type\": "
        + "\"softmax_cross_entropy\"}", "", tiny, "", 2, "MB for parameters, gradients and optimizer state, more than "
        + "the driver's heap of");
    c.train("inputShape not matching the data", "\"inputShape\": [3], " + SOFTMAX3, "", tiny, "", 2,
        "data.train: rows have 2 features but model.inputShape (3) takes 3");
    c.train("MSE with class labels", "\"layers\": [{\"type\": \"dense\", \"units\": 3}], \"loss\": {\"type\": "
        + "\"mean_squared_error\"}", "", tiny, "", 2, "compares the 3 outputs of the last layer with labels of 3 "
        + "values, but data.train's labels are single numbers");
    c.train("unknown monitor", SOFTMAX3, ", \"earlyStopping\": {\"monitor\": \"val_acc\", \"patience\": 1}", tiny,
        ", \"validationSplit\": 0.3", 2, "training.earlyStopping.monitor: unknown metric 'val_acc'; this run reports "
            + "loss, accuracy, val_loss, val_accuracy");
    c.train("val_ monitor without validation data", SOFTMAX3, ", \"earlyStopping\": {\"monitor\": \"val_loss\"}",
        tiny, "", 2, "'val_loss' needs validation data");
    c.train("plateau monitor", SOFTMAX3, ", \"schedule\": {\"type\": \"reduce_on_plateau\", \"monitor\": \"acc\"}",
        tiny, "", 2, "training.schedule.monitor: unknown metric 'acc'");
    c.train("validation split of all rows", SOFTMAX3, "", csv(c.file("two.csv", "x1,x2,label\n1,2,0\n")),
        ", \"validationSplit\": 1.0", 2, "validationSplit: expected a number in [0, 1), got 1.0");

    // Spark settings: refused before Spark starts
    c.train("bad master URL", SOFTMAX3, "", tiny, "", 2, "--master \"foo://bar\": not a Spark master URL",
        "--master", "foo://bar");
    int port = closedPort();
    c.train("unreachable master", SOFTMAX3, "", tiny, "", 1, "cannot reach the Spark master spark://127.0.0.1:"
        + port, "--master", "spark://127.0.0.1:" + port);
    c.train("unparsable Spark setting", SOFTMAX3, "", tiny, "}, \"spark\": {\"conf\": "
        + "{\"spark.driver.maxResultSize\": \"lots\"}", 2, "spark.conf.spark.driver.maxResultSize: \"lots\" is not a "
        + "valid value");
    c.train("unparsable sparkprop setting", SOFTMAX3, "", tiny, "}, \"spark\": {\"conf\": "
        + "{\"spark.sparkprop.smallData.maxBytes\": \"lots\"}", 2,
        "spark.conf.spark.sparkprop.smallData.maxBytes: \"lots\" is not a valid value");

    // output folders: never overwritten or shared silently
    Path held = Files.createDirectories(dir.resolve("held"));
    Files.writeString(held.resolve("config.json"), "{}");
    Files.writeString(held.resolve("confusion-matrix.txt"), "old");
    c.command("output folder holds a run", 2, "already holds a run (config.json); pass --overwrite", "train",
        "--config", c.config("held", SOFTMAX3, "", tiny, ""), "--output", held.toString());
    Path busy = Files.createDirectories(dir.resolve("busy"));
    Files.writeString(busy.resolve(OutputFolder.LOCK), ProcessHandle.current().pid() + "@"
        + java.net.InetAddress.getLocalHost().getHostName() + " 2026-01-01T00:00:00Z");
    c.command("output folder in use", 2, "is in use by another run (" + ProcessHandle.current().pid() + "@", "train",
        "--config", c.config("busy", SOFTMAX3, "", tiny, ""), "--output", busy.toString());
    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    c.command("output folder of other files", 2, "the folder holds files that are not a run's (notes.txt)", "train",
        "--config", c.config("foreign", SOFTMAX3, "", tiny, ""), "--output", foreign.toString(), "--overwrite");
    c.command("evaluate --split other", 2, "--split: expected test or train", "evaluate", "--model",
        dir.toString(), "--split", "validation");
    c.textCases();
    return c.cases;
  }

  static final String LSTM = "\"layers\": [{\"type\": \"embedding\", \"inputDim\": 40, \"outputDim\": 8}, "
      + "{\"type\": \"lstm\", \"units\": 8}, {\"type\": \"dense\", \"units\": 2}]";
  static final String TEXT = "{\"column\": \"text\", \"maxTokens\": 40, \"maxLength\": 12}";

  static String json(String path) {
    return "{\"format\": \"json\", \"path\": \"" + path + "\"}";
  }

  /** A train run of a text model ({@code model}: the model object's body) that fails with exit code 2. */
  void text(String name, String model, String text, String train, String extra, String fragment) throws IOException {
    String id = "t" + Integer.toHexString(name.hashCode());
    String cfg = file(id + ".json", """
        {"name": "%s",
         "model": {%s, "loss": {"type": "softmax_cross_entropy"}},
         "text": %s,
         "training": {"optimizer": {"type": "adam", "learningRate": 0.01}, "epochs": 1, "batchSize": 4},
         "data": {"train": %s%s}}
        """.formatted(id, model, text, train, extra));
    cases.add(new Case(name, List.of("train", "--config", cfg, "--progress", "none", "--output",
        dir.resolve("out-" + id).toString()), 2, fragment, true));
  }

  /** The text section's rows: the reader, the vectorizer and the model/section checks. */
  private void textCases() throws IOException {
    String good = json(file("texts.jsonl", "{\"text\": \"win money now\", \"label\": 1}\n"
        + "{\"text\": \"project meeting notes\", \"label\": 0}\n"));
    text("text not a string", LSTM, TEXT, json(file("num.jsonl",
        "{\"text\": \"hello there\", \"label\": 0}\n{\"text\": 12, \"label\": 1}\n")), "",
        "num.jsonl, line 2, key 'text': 12 is not a string");
    text("text key missing", LSTM, TEXT, json(file("nokey.jsonl", "{\"body\": \"hello\", \"label\": 0}\n")), "",
        "nokey.jsonl: there is no key 'text'; the first object has [body, label]");
    text("text without tokens", LSTM, TEXT, json(file("blank.jsonl",
        "{\"text\": \"hello there\", \"label\": 0}\n{\"text\": \"!!! ...\", \"label\": 1}\n")), "",
        "the text has no tokens (\"!!! ...\")");
    text("csv text column missing", LSTM, TEXT, csv(file("body.csv", "body,label\n\"hello, there\",0\n")), "",
        "body.csv: there is no column 'text'; the header names [body, label]");
    text("csv text empty", LSTM, TEXT, csv(file("etext.csv", "text,label\n\"hello,\nthere\",0\n,1\n")), "",
        "etext.csv, data row 2: column 'text' is empty (a text is required)");
    text("csv text without a header", LSTM, TEXT, "{\"format\": \"csv\", \"path\": \""
        + file("nohead.csv", "hello,0\n") + "\"}", "", "a text column needs a header (header=true)");
    text("text from libsvm", LSTM, TEXT, libsvm(file("text.libsvm", "0 1:1\n")), "",
        "data.train: texts are read from json (JSON lines), parquet or csv data, not libsvm");
    text("text model without an embedding", "\"layers\": [{\"type\": \"dense\", \"units\": 2}]", TEXT, good,
        "", "text: the model takes token ids, so its first layer must be an embedding");
    text("embedding smaller than maxTokens", LSTM, "{\"maxTokens\": 400, \"maxLength\": 12}", good, "",
        "the embedding has inputDim 40 but text.maxTokens is 400");
    text("inputShape not maxLength", "\"inputShape\": [12], " + LSTM, "{\"maxTokens\": 40, \"maxLength\": 9}",
        good, "", "model.inputShape: (12) but a text becomes 9 token ids (text.maxLength); use [9]");
    text("standardized text", LSTM, TEXT, good, ", \"standardize\": true", "data.standardize: texts become token ids");
  }
}
