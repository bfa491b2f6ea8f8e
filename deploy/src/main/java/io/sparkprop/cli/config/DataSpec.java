package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The data section. Validation data is {@code validation} when given, else a seeded, stratified
 * {@code validationSplit} of the training samples (default {@value #DEFAULT_VALIDATION_SPLIT};
 * 0 = no validation). The test data is evaluated once, after training.
 *
 * @param train           the training samples (required)
 * @param test            the test samples, evaluated after training (optional)
 * @param validation      the validation samples (optional; then {@code validationSplit} is 0)
 * @param validationSplit fraction of the training samples held out for validation, in [0, 1)
 * @param limit           use at most this many samples of each source (0 = all), for quick runs
 * @param features        the feature columns by name (empty = every column but the label)
 * @param standardize     scale every feature to mean 0 and standard deviation 1 with the training
 *                        data's statistics (saved with the model; constant features become 0)
 * @param weightCol       the column of each training row's sample weight (a number >= 0; never a
 *                        feature), or null; csv, json and parquet data only (libsvm and idx have no
 *                        named columns)
 */
public record DataSpec(DataSource train, DataSource test, DataSource validation, double validationSplit, int limit,
                       List<String> features, boolean standardize, String weightCol) {

  /** The fraction of the training data held out for validation when the config says nothing. */
  public static final double DEFAULT_VALIDATION_SPLIT = 0.1;

  public DataSpec {
    if (train == null) {
      throw new IllegalArgumentException("train: missing; expected e.g. {\"format\": \"idx\", \"images\": ..., \"labels\": ...}");
    }
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new IllegalArgumentException("validationSplit: expected a number in [0, 1), got " + validationSplit);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit: expected an integer >= 0 (0 = all samples), got " + limit);
    }
    if (validation != null && validationSplit > 0) {
      throw new IllegalArgumentException("validationSplit: give validation data one way only: data.validation "
          + "(a source) or data.validationSplit (a fraction of the training data), got both");
    }
    features = features == null ? List.of() : List.copyOf(features);
    if (weightCol != null) {
      if (weightCol.isBlank()) {
        throw new IllegalArgumentException("weightCol: expected a column name, got \"" + weightCol + "\"");
      }
      for (var s : java.util.Arrays.asList(train, test, validation)) {
        if (s instanceof LibsvmSource || s instanceof IdxSource) {
          throw new IllegalArgumentException("weightCol: " + s.format() + " data ("
              + (s == train ? "train" : s == test ? "test" : "validation") + ") has no columns, so it cannot hold "
              + "a sample weight column; use csv (with a header), json or parquet data");
        }
      }
    }
  }

  @JsonCreator
  static DataSpec fromJson(@JsonProperty("train") DataSource train, @JsonProperty("test") DataSource test,
                           @JsonProperty("validation") DataSource validation,
                           @JsonProperty("validationSplit") Double validationSplit,
                           @JsonProperty("limit") Integer limit, @JsonProperty("features") List<String> features,
                           @JsonProperty("standardize") Boolean standardize,
                           @JsonProperty("weightCol") String weightCol) {
    double split = validationSplit != null ? validationSplit : validation != null ? 0 : DEFAULT_VALIDATION_SPLIT;
    return new DataSpec(train, test, validation, split, limit == null ? 0 : limit,
        features, standardize != null && standardize, weightCol);
  }
}
