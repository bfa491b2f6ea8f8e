package io.sparkprop.ml.text;

import io.sparkprop.core.text.TextConfig;
import java.io.Serializable;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The params of {@link TextVectorizer} and {@link TextVectorizerModel} for one owner, with their
 * documentation and defaults ({@link TextConfig#DEFAULTS}; output column {@code "tokens"}). Public
 * only because {@link TextParams#paramSet()} returns it; users reach the params through that
 * interface's accessors.
 */
public final class TextParamSet implements Serializable {
  private static final long serialVersionUID = 1L;

  final Param<String> inputCol;
  final Param<String> outputCol;
  final BooleanParam lowercase;
  final Param<String> split;
  final Param<String> pattern;
  final IntParam minCount;
  final IntParam maxTokens;
  final IntParam maxLength;

  TextParamSet(Params owner) {
    inputCol = new Param<>(owner, "inputCol", "the string column of raw text");
    outputCol = new Param<>(owner, "outputCol", "the array<int> column of token ids written: maxLength ids, "
        + "1 = unknown, 0-padded after the text's tokens");
    lowercase = new BooleanParam(owner, "lowercase", "lower-case the text before splitting");
    split = new Param<>(owner, "split", "\"word\" (the matches of pattern) or \"character\" (every code point)",
        ParamValidators.inArray(new String[] {"word", "character"}));
    pattern = new Param<>(owner, "pattern", "regular expression whose matches are the word tokens");
    minCount = new IntParam(owner, "minCount", "a token enters the vocabulary when seen at least this often (>= 1)",
        ParamValidators.gtEq(1));
    maxTokens = new IntParam(owner, "maxTokens", "largest vocabulary size counting padding (0) and unknown (1) "
        + "(>= 3)", ParamValidators.gtEq(3));
    maxLength = new IntParam(owner, "maxLength", "tokens kept per text, the rest are cut (>= 1)",
        ParamValidators.gtEq(1));
  }

  void setDefaults(Params owner) {
    TextConfig d = TextConfig.DEFAULTS;
    owner.setDefault(outputCol, "tokens");
    owner.setDefault(lowercase, d.lowercase());
    owner.setDefault(split, d.split());
    owner.setDefault(pattern, d.pattern());
    owner.setDefault(minCount, d.minCount());
    owner.setDefault(maxTokens, d.maxTokens());
    owner.setDefault(maxLength, d.maxLength());
  }

  /** The core settings these params hold on {@code owner}. */
  TextConfig config(Params owner) {
    return new TextConfig((Boolean) owner.getOrDefault(lowercase), owner.getOrDefault(split),
        owner.getOrDefault(pattern), (Integer) owner.getOrDefault(minCount), (Integer) owner.getOrDefault(maxTokens),
        (Integer) owner.getOrDefault(maxLength));
  }

  /** Checks the input column and adds the output column; one line naming the column on error. */
  StructType transformSchema(Params owner, StructType schema) {
    if (!owner.isDefined(inputCol)) {
      throw new IllegalArgumentException(owner.uid() + ": set inputCol, the string column of raw text");
    }
    String in = owner.getOrDefault(inputCol);
    SparkTextVocabulary.requireStringColumn(schema, in);
    String out = owner.getOrDefault(outputCol);
    for (String f : schema.fieldNames()) {
      if (f.equals(out)) {
        throw new IllegalArgumentException(owner.uid() + ": output column '" + out + "' already exists");
      }
    }
    return schema.add(out, DataTypes.createArrayType(DataTypes.IntegerType, false), false);
  }
}
