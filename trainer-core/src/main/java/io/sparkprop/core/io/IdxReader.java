package io.sparkprop.core.io;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.tensor.Shape;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format), plain or gzip-compressed (detected by the magic bytes
 * {@code 1f 8b}, whatever the file name). Layout: a big-endian int32 magic {@code 0x0000TTDD}
 * (two zero bytes, the element type {@code TT}, the number of dimensions {@code DD}), one
 * big-endian int32 per dimension, then the elements in row-major order. Only type
 * {@code 0x08} (unsigned byte) is supported: images are {@code 0x00000803} (n × rows × cols),
 * labels {@code 0x00000801} (n).
 *
 * <p>{@link #dataSet} turns an image file and a label file into a {@link DataSet} with features
 * {@code pixel / 255f} in [0, 1], one class index per label, and sample shape
 * {@code (rows·cols)} or, for convolutional models, {@code (1, rows, cols)}.
 *
 * <p>Finding data is left to callers; {@link #findUp} looks for a folder such as
 * {@value #MNIST_SAMPLE} (the bundled 10,000-digit sample) in a folder or its parents, and
 * {@link #mnist} reads the four standard MNIST files of a folder.
 */
public final class IdxReader {
  /** Where the bundled MNIST sample lives, relative to the repository root. */
  public static final String MNIST_SAMPLE = "data/mnist10k";
  private static final int TYPE_UBYTE = 0x08;
  private static final int MAX_DIMS = 16;

  /**
   * The content of an IDX file of unsigned bytes.
   *
   * @param source the file's name, for messages
   * @param dims   the dimensions, {@code dims[0]} is the item count
   * @param data   the elements, row-major (unsigned: use {@code b & 0xff}); not copied, so
   *               {@code equals} compares the arrays by identity
   */
  public record Idx(String source, int[] dims, byte[] data) {
    /** The IDX magic number of this content. */
    public int magic() {
      return TYPE_UBYTE << 8 | dims.length;
    }
  }

  /** The train and test parts of an MNIST-style folder. */
  public record Mnist(DataSet train, DataSet test) {
  }

  private IdxReader() {
  }

  /** Reads the IDX file {@code file} (plain or gzip). */
  public static Idx read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /** Reads one IDX file (plain or gzip) from {@code in} to its end (not closed); {@code source} names it in errors. */
  public static Idx read(InputStream in, String source) throws IOException {
    BufferedInputStream b = new BufferedInputStream(new FilterInputStream(in) {
      @Override
      public void close() {
        // the caller owns the stream
      }
    }, 1 << 16);
    b.mark(2);
    boolean gzip = b.read() == 0x1f && b.read() == 0x8b;
    b.reset();
    try (InputStream body = gzip ? new GZIPInputStream(b, 1 << 16) : b) {
      return readBody(new DataInputStream(body), source);
    } catch (ZipException e) {
      throw new FileFormatException(source, "corrupted gzip data: " + e.getMessage(), e);
    } catch (EOFException e) {
      // the gzip stream ended early (the plain-file checks below report exact counts)
      throw new FileFormatException(source, "truncated: the gzip data ends early (" + e.getMessage() + ")", e);
    }
  }

  private static Idx readBody(DataInputStream in, String source) throws IOException {
    byte[] head = new byte[4];
    if (in.readNBytes(head, 0, 4) < 4) {
      throw new FileFormatException(source, "truncated: the file ends inside the 4-byte IDX magic number");
    }
    int magic = (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | head[3] & 0xff;
    int type = head[2] & 0xff;
    int rank = head[3] & 0xff;
    if (head[0] != 0 || head[1] != 0 || rank == 0 || rank > MAX_DIMS) {
      throw new FileFormatException(source, String.format("not an IDX file: magic number 0x%08X, expected "
          + "0x000008NN (two zero bytes, type 0x08, NN dimensions), e.g. 0x00000803 for images", magic));
    }
    if (type != TYPE_UBYTE) {
      throw new FileFormatException(source, String.format("IDX element type 0x%02X (magic 0x%08X) is not "
          + "supported, only 0x08 (unsigned byte)", type, magic));
    }
    int[] dims = new int[rank];
    long total = 1;
    for (int i = 0; i < rank; i++) {
      try {
        dims[i] = in.readInt();
      } catch (EOFException e) {
        throw new FileFormatException(source, "truncated: the file ends inside the header (" + rank
            + " dimensions announced, " + i + " present)", e);
      }
      if (dims[i] < 0) {
        throw new FileFormatException(source, "dimension " + i + " is negative (" + dims[i] + ")");
      }
      total *= dims[i];
      if (total > Integer.MAX_VALUE - 16) {
        throw new FileFormatException(source, "too large: dimensions " + dimsText(dims, i + 1)
            + " exceed the 2 GB a Java array holds");
      }
    }
    byte[] data = new byte[(int) total];
    int got = 0;
    try {
      for (int r; got < data.length && (r = in.read(data, got, data.length - got)) >= 0; ) {
        got += r;
      }
    } catch (EOFException e) {
      // a gzip stream that ends early: report how much data there was
    }
    if (got < data.length) {
      throw new FileFormatException(source, "truncated: dimensions " + dimsText(dims, rank) + " need "
          + data.length + " bytes of data, found " + got);
    }
    if (in.read() != -1) {
      throw new FileFormatException(source, "longer than its header says: more than " + data.length
          + " bytes of data for dimensions " + dimsText(dims, rank));
    }
    return new Idx(source, dims, data);
  }

  /** Reads an image file and its label file as a data set, see {@link #dataSet(Idx, Idx, boolean)}. */
  public static DataSet dataSet(Path images, Path labels, boolean imageShape) throws IOException {
    return dataSet(read(images), read(labels), imageShape);
  }

  /**
   * A data set of {@code n} samples from IDX images {@code (n, rows, cols)} and labels {@code (n)}:
   * features {@code pixel / 255f}, labels the class index (label width 1), sample shape
   * {@code (1, rows, cols)} when {@code imageShape}, else {@code (rows·cols)}.
   */
  public static DataSet dataSet(Idx images, Idx labels, boolean imageShape) throws FileFormatException {
    if (images.dims().length != 3) {
      throw new FileFormatException(images.source(), String.format("expected IDX images (magic 0x00000803: "
          + "n x rows x cols), found magic 0x%08X with dimensions %s", images.magic(),
          dimsText(images.dims(), images.dims().length)));
    }
    if (labels.dims().length != 1) {
      throw new FileFormatException(labels.source(), String.format("expected IDX labels (magic 0x00000801: "
          + "n), found magic 0x%08X with dimensions %s", labels.magic(), dimsText(labels.dims(), labels.dims().length)));
    }
    int n = images.dims()[0];
    int rows = images.dims()[1];
    int cols = images.dims()[2];
    if (labels.dims()[0] != n) {
      throw new FileFormatException(labels.source(), "has " + labels.dims()[0] + " labels but "
          + images.source() + " has " + n + " images");
    }
    if (rows == 0 || cols == 0) {
      throw new FileFormatException(images.source(), "images of " + rows + " x " + cols + " pixels");
    }
    byte[] px = images.data();
    float[] x = new float[px.length];
    for (int i = 0; i < px.length; i++) {
      x[i] = (px[i] & 0xff) / 255f;
    }
    byte[] lb = labels.data();
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = lb[i] & 0xff;
    }
    Shape shape = imageShape ? Shape.of(1, rows, cols) : Shape.of(rows * cols);
    return new DataSet(shape, 1, n, x, y);
  }

  /**
   * Reads the four standard MNIST files of {@code folder}
   * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-...} or
   * {@code test-...}; each as {@code .gz} or plain).
   */
  public static Mnist mnist(Path folder, boolean imageShape) throws IOException {
    DataSet train = dataSet(file(folder, "train-images-idx3-ubyte"), file(folder, "train-labels-idx1-ubyte"),
        imageShape);
    String test = Files.exists(folder.resolve("t10k-images-idx3-ubyte.gz"))
        || Files.exists(folder.resolve("t10k-images-idx3-ubyte")) ? "t10k" : "test";
    DataSet t = dataSet(file(folder, test + "-images-idx3-ubyte"), file(folder, test + "-labels-idx1-ubyte"),
        imageShape);
    return new Mnist(train, t);
  }

  /**
   * The folder {@code relative} (e.g. {@value #MNIST_SAMPLE}) resolved against {@code start} or
   * the nearest of its parents that has it.
   *
   * @throws NoSuchFileException naming {@code start} when no parent has it
   */
  public static Path findUp(Path start, String relative) throws NoSuchFileException {
    for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      Path candidate = p.resolve(relative);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new NoSuchFileException(start.toAbsolutePath().toString(), null,
        "neither this folder nor any parent holds " + relative);
  }

  private static Path file(Path folder, String name) throws NoSuchFileException {
    Path gz = folder.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path plain = folder.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    throw new NoSuchFileException(gz.toString(), null, "missing (nor is there " + name + ")");
  }

  private static String dimsText(int[] dims, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : " x ").append(dims[i]);
    }
    return s.toString();
  }
}
