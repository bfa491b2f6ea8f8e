package io.sparkprop.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.tensor.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  /** The bundled MNIST sample (data/mnist10k). */
  static Path mnistDir;
  static IdxReader.Mnist flat;

  @TempDir
  Path dir;

  @BeforeAll
  static void readSample() throws IOException {
    mnistDir = IdxReader.findUp(Path.of("").toAbsolutePath(), IdxReader.MNIST_SAMPLE);
    flat = IdxReader.mnist(mnistDir, false);
  }

  /** An IDX file: magic 0x000008RR, the dims, then {@code data}. */
  static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(magic);
    for (int x : dims) {
      d.writeInt(x);
    }
    d.write(data);
    return b.toByteArray();
  }

  static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream z = new GZIPOutputStream(b)) {
      z.write(plain);
    }
    return b.toByteArray();
  }

  static byte[] ramp(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 37);
    }
    return b;
  }

  @Test
  void readsTheMnistSample() {
    DataSet train = flat.train();
    DataSet test = flat.test();
    assertThat(train.size()).isEqualTo(8000);
    assertThat(test.size()).isEqualTo(2000);
    assertThat(train.sampleShape()).isEqualTo(Shape.of(784));
    assertThat(train.labelWidth()).isEqualTo(1);
    // Golden values computed independently (Python's gzip + struct) from the same files.
    assertThat(Arrays.copyOf(train.labels(), 10)).containsExactly(6, 6, 8, 1, 7, 1, 4, 6, 1, 2);
    assertThat(Arrays.copyOf(test.labels(), 10)).containsExactly(3, 4, 9, 7, 7, 4, 9, 4, 8, 0);
    assertThat(classCounts(train)).containsExactly(799, 913, 801, 813, 781, 689, 809, 865, 747, 783);
    assertThat(classCounts(test)).containsExactly(202, 214, 190, 219, 199, 174, 205, 205, 197, 195);
    assertThat(sum(train.features(), 0, 784)).isCloseTo(30378 / 255.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(sum(test.features(), 0, 784)).isCloseTo(23822 / 255.0, org.assertj.core.data.Offset.offset(1e-3));
    float min = 1;
    float max = 0;
    for (float v : train.features()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).isEqualTo(0f);
    assertThat(max).isEqualTo(1f);
  }

  @Test
  void imageShapeKeepsTheSamePixels() throws IOException {
    DataSet img = IdxReader.dataSet(mnistDir.resolve("test-images-idx3-ubyte.gz"),
        mnistDir.resolve("test-labels-idx1-ubyte.gz"), true);
    assertThat(img.sampleShape()).isEqualTo(Shape.of(1, 28, 28));
    // isEqualTo compares the arrays in one pass (containsExactly is quadratic on failure)
    assertThat(img.features()).isEqualTo(flat.test().features());
    assertThat(img.labels()).isEqualTo(flat.test().labels());
  }

  @Test
  void plainAndGzipReadTheSame() throws IOException {
    byte[] plain = idx(0x803, new int[] {3, 2, 5}, ramp(30));
    Files.write(dir.resolve("a.idx"), plain);
    Files.write(dir.resolve("a.idx.gz"), gzip(plain));
    Files.write(dir.resolve("named-plain-but-gzip"), gzip(plain));
    IdxReader.Idx a = IdxReader.read(dir.resolve("a.idx"));
    assertThat(a.dims()).containsExactly(3, 2, 5);
    assertThat(a.data()).containsExactly(ramp(30));
    assertThat(IdxReader.read(dir.resolve("a.idx.gz")).data()).containsExactly(ramp(30));
    assertThat(IdxReader.read(dir.resolve("named-plain-but-gzip")).data()).containsExactly(ramp(30));
    DataSet d = IdxReader.dataSet(a, IdxReader.read(new ByteArrayInputStream(idx(0x801, new int[] {3},
        new byte[] {9, 0, (byte) 200})), "l"), false);
    assertThat(d.sampleShape()).isEqualTo(Shape.of(10));
    assertThat(d.labels()).containsExactly(9, 0, 200);
    assertThat(d.features()[1]).isEqualTo(37 / 255f);
    assertThat(d.features()[7]).isEqualTo((7 * 37 & 0xff) / 255f);
  }

  @Test
  void truncatedFilesAreRejected() throws IOException {
    byte[] full = idx(0x803, new int[] {100, 28, 28}, ramp(78400));
    Path plain = dir.resolve("imgs.idx");
    Files.write(plain, Arrays.copyOf(full, 16 + 5000));
    assertThatThrownBy(() -> IdxReader.read(plain)).isInstanceOf(FileFormatException.class)
        .hasMessage(plain + ": truncated: dimensions 100 x 28 x 28 need 78400 bytes of data, found 5000");
    Files.write(plain, Arrays.copyOf(full, 10));
    assertThatThrownBy(() -> IdxReader.read(plain))
        .hasMessage(plain + ": truncated: the file ends inside the header (3 dimensions announced, 1 present)");
    Path gz = dir.resolve("imgs.idx.gz");
    byte[] z = gzip(full);
    Files.write(gz, Arrays.copyOf(z, z.length / 2));
    assertThatThrownBy(() -> IdxReader.read(gz)).isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith(gz + ": truncated: dimensions 100 x 28 x 28 need 78400 bytes of data, found ");
    Files.write(gz, Arrays.copyOf(z, z.length - 3));
    assertThatThrownBy(() -> IdxReader.read(gz)).isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith(gz + ": truncated: the gzip data ends early");
  }

  @Test
  void theRealSampleTruncatedIsRejected() throws IOException {
    byte[] z = Files.readAllBytes(mnistDir.resolve("test-images-idx3-ubyte.gz"));
    Path cut = dir.resolve("test-images-idx3-ubyte.gz");
    Files.write(cut, Arrays.copyOf(z, z.length - 1000));
    assertThatThrownBy(() -> IdxReader.read(cut))
        .hasMessageStartingWith(cut + ": truncated: dimensions 2000 x 28 x 28 need 1568000 bytes of data, found ");
  }

  @Test
  void wrongMagicAndTypeAreRejected() throws IOException {
    Path f = dir.resolve("x.idx");
    Files.write(f, idx(0x01000803, new int[] {1, 1, 1}, new byte[1]));
    assertThatThrownBy(() -> IdxReader.read(f)).isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith(f + ": not an IDX file: magic number 0x01000803, expected 0x000008NN");
    Files.write(f, "hello, world".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> IdxReader.read(f)).hasMessageStartingWith(f + ": not an IDX file: magic number 0x68656C6C");
    Files.write(f, idx(0x00000D02, new int[] {1, 1}, new byte[4]));
    assertThatThrownBy(() -> IdxReader.read(f))
        .hasMessage(f + ": IDX element type 0x0D (magic 0x00000D02) is not supported, only 0x08 (unsigned byte)");
    Files.write(f, new byte[0]);
    assertThatThrownBy(() -> IdxReader.read(f))
        .hasMessage(f + ": truncated: the file ends inside the 4-byte IDX magic number");
  }

  @Test
  void extraBytesAreRejected() throws IOException {
    Path f = dir.resolve("labels.idx");
    Files.write(f, idx(0x801, new int[] {3}, new byte[4]));
    assertThatThrownBy(() -> IdxReader.read(f))
        .hasMessage(f + ": longer than its header says: more than 3 bytes of data for dimensions 3");
  }

  @Test
  void imagesAndLabelsMustFit() throws IOException {
    Path images = dir.resolve("img.idx");
    Path labels = dir.resolve("lab.idx");
    Files.write(images, idx(0x803, new int[] {4, 2, 2}, ramp(16)));
    Files.write(labels, idx(0x801, new int[] {3}, new byte[3]));
    assertThatThrownBy(() -> IdxReader.dataSet(images, labels, false)).isInstanceOf(FileFormatException.class)
        .hasMessage(labels + ": has 3 labels but " + images + " has 4 images");
    assertThatThrownBy(() -> IdxReader.dataSet(labels, images, false)).isInstanceOf(FileFormatException.class)
        .hasMessage(labels + ": expected IDX images (magic 0x00000803: n x rows x cols), found magic 0x00000801 "
            + "with dimensions 3");
    assertThatThrownBy(() -> IdxReader.dataSet(images, images, false))
        .hasMessage(images + ": expected IDX labels (magic 0x00000801: n), found magic 0x00000803 with dimensions "
            + "4 x 2 x 2");
  }

  @Test
  void mismatchedRealFilesAreRejected() throws IOException {
    assertThatThrownBy(() -> IdxReader.dataSet(mnistDir.resolve("train-images-idx3-ubyte.gz"),
        mnistDir.resolve("test-labels-idx1-ubyte.gz"), false))
        .hasMessageEndingWith("test-labels-idx1-ubyte.gz: has 2000 labels but "
            + mnistDir.resolve("train-images-idx3-ubyte.gz") + " has 8000 images");
  }

  @Test
  void theBundledSampleIsTheSharedOneWithItsNotice() throws IOException {
    Path bundled = IdxReader.findUp(Path.of("").toAbsolutePath(), IdxReader.MNIST_SAMPLE);
    assertThat(bundled.getParent().getParent().resolve("pom.xml")).exists();
    assertThat(Files.readString(bundled.resolve("README.md")))
        .contains("Keep this notice beside the files wherever they are copied.")
        .contains("CC BY-SA 3.0");
    for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "test-images-idx3-ubyte.gz", "test-labels-idx1-ubyte.gz"}) {
      assertThat(Files.readAllBytes(bundled.resolve(f))).as(f).isEqualTo(Files.readAllBytes(mnistDir.resolve(f)));
    }
    assertThatThrownBy(() -> IdxReader.findUp(dir, "no/such/folder")).isInstanceOf(NoSuchFileException.class)
        .hasMessageEndingWith(": neither this folder nor any parent holds no/such/folder");
  }

  private static int[] classCounts(DataSet d) {
    int[] c = new int[10];
    for (int i = 0; i < d.size(); i++) {
      c[(int) d.labels()[i]]++;
    }
    return c;
  }

  private static double sum(float[] a, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += a[i];
    }
    return s;
  }
}
