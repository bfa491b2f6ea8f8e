package io.sparkprop.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.io.FileFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** preprocessing.json: the format the command line has always written, read back, and applied to rows. */
class PreprocessingTest {
  @TempDir
  Path tmp;

  @Test
  void theFileKeepsItsFormatAndReadsBack() throws Exception {
    Preprocessing p = new Preprocessing(new double[] {1, -2}, new double[] {0.5, 0}, new double[] {-1, 3.5});
    p.save(tmp);
    String text = Files.readString(tmp.resolve(Preprocessing.FILE));
    assertThat(text.replaceAll("\\s", ""))
        .isEqualTo("{\"format\":1,\"mean\":[1.0,-2.0],\"scale\":[0.5,0.0],\"labels\":[-1.0,3.5]}");
    Preprocessing back = Preprocessing.load(tmp);
    assertThat(back.mean()).containsExactly(1, -2);
    assertThat(back.scale()).containsExactly(0.5, 0);
    assertThat(back.labels()).containsExactly(-1, 3.5);
    float[] x = {3, 7, 1, -2};
    back.standardize(x, 2);
    assertThat(x).containsExactly(1f, 0f, 0f, 0f);
    assertThat(back.index(3.5, "test")).isEqualTo(1);
    assertThat(back.label(0)).isEqualTo(-1);
  }

  @Test
  void noFileIsNothingToDoAndNothingIsWrittenForIt() throws Exception {
    assertThat(Preprocessing.load(tmp).isNone()).isTrue();
    Preprocessing.NONE.save(tmp);
    assertThat(tmp.resolve(Preprocessing.FILE)).doesNotExist();
  }

  @Test
  void aBadFileOrLabelIsNamed() throws Exception {
    Files.writeString(tmp.resolve(Preprocessing.FILE), "{\"format\": 1, \"mean\": [1, 2], \"scale\": [1]}");
    assertThatThrownBy(() -> Preprocessing.load(tmp)).isInstanceOf(FileFormatException.class)
        .hasMessageContaining("preprocessing.json: preprocessing needs as many means as scales, got 2 and 1");
    Preprocessing p = new Preprocessing(null, null, new double[] {2, 4});
    assertThatThrownBy(() -> p.index(3, "data.test")).isInstanceOf(DataException.class)
        .hasMessageContaining("data.test: label 3.0 is not one of the 2 labels");
  }

  @Test
  void stringLabelsAreSavedAsLabelStringsAndIndexedInLexicographicOrder() throws Exception {
    Preprocessing p = new Preprocessing(null, null, null, new String[] {"ham", "spam"});
    p.save(tmp);
    assertThat(Files.readString(tmp.resolve(Preprocessing.FILE)).replaceAll("\\s", ""))
        .isEqualTo("{\"format\":1,\"labelStrings\":[\"ham\",\"spam\"]}");
    Preprocessing back = Preprocessing.load(tmp);
    assertThat(back.stringLabels()).isTrue();
    assertThat(back.labelCount()).isEqualTo(2);
    assertThat(back.index("spam", "test")).isEqualTo(1);
    assertThat(back.labelText(0)).isEqualTo("ham");
    assertThatThrownBy(() -> back.index("eggs", "data.test")).isInstanceOf(DataException.class)
        .hasMessage("data.test: label 'eggs' is not one of the 2 labels of the training data ['ham', 'spam']");
    assertThatThrownBy(() -> back.index(1.0, "data.test")).isInstanceOf(DataException.class)
        .hasMessageContaining("label 1.0 is a number but the model's labels are the strings ['ham', 'spam']");
    assertThat(new Preprocessing(null, null, new double[] {2, 4}).labelText(1)).isEqualTo("4.0");
  }

  @Test
  void unsortedStringLabelsOrUnknownKeysAreErrors() throws Exception {
    assertThatThrownBy(() -> new Preprocessing(null, null, null, new String[] {"spam", "ham"}))
        .hasMessageContaining("labelStrings must be distinct strings in ascending order");
    Files.writeString(tmp.resolve(Preprocessing.FILE), "{\"format\": 1, \"labelz\": [1, 2]}");
    assertThatThrownBy(() -> Preprocessing.load(tmp)).isInstanceOf(FileFormatException.class)
        .hasMessageContaining("unknown key 'labelz'");
  }
}
