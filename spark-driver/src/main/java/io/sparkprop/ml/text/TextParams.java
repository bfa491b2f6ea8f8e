package io.sparkprop.ml.text;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params shared by {@link TextVectorizer} and {@link TextVectorizerModel}; the param objects
 * and their defaults are created by {@link TextParamSet}.
 */
public interface TextParams extends Params {

  /** The param objects of this instance (created once by its constructor). */
  TextParamSet paramSet();

  /** The string column of raw text. */
  default Param<String> inputCol() {
    return paramSet().inputCol;
  }

  /** The array&lt;int&gt; column of token ids written. */
  default Param<String> outputCol() {
    return paramSet().outputCol;
  }

  /** Lower-case the text before splitting. */
  default BooleanParam lowercase() {
    return paramSet().lowercase;
  }

  /** "word" or "character". */
  default Param<String> split() {
    return paramSet().split;
  }

  /** Regular expression whose matches are the word tokens. */
  default Param<String> pattern() {
    return paramSet().pattern;
  }

  /** Least count of a vocabulary token. */
  default IntParam minCount() {
    return paramSet().minCount;
  }

  /** Largest vocabulary size, the two reserved ids included. */
  default IntParam maxTokens() {
    return paramSet().maxTokens;
  }

  /** Token ids per text (truncated or 0-padded). */
  default IntParam maxLength() {
    return paramSet().maxLength;
  }
}
