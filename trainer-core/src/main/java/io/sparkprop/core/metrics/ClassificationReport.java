package io.sparkprop.core.metrics;

/**
 * Classification metrics, as scikit-learn defines them ({@code accuracy_score},
 * {@code top_k_accuracy_score}, {@code log_loss}, {@code precision_recall_fscore_support} with
 * {@code zero_division=0}, {@code roc_auc_score}, {@code average_precision_score}). Values that do
 * not apply are NaN (AUCs of a task with more than two classes, or of data with one class only).
 *
 * @param count        samples
 * @param accuracy     fraction predicted right
 * @param topK         the k of {@code topKAccuracy}
 * @param topKAccuracy fraction whose class is among the k highest outputs
 * @param logLoss      mean -log p(actual class)
 * @param precision    per class: right / predicted as the class
 * @param recall       per class: right / samples of the class
 * @param f1           per class: harmonic mean of precision and recall
 * @param support      per class: samples of the class
 * @param rocAuc       area under the ROC curve (binary)
 * @param prAuc        area under the precision-recall curve as average precision, Σ (R_n − R_{n−1}) P_n (binary)
 */
public record ClassificationReport(long count, double accuracy, int topK, double topKAccuracy, double logLoss,
                                   double[] precision, double[] recall, double[] f1, long[] support,
                                   double precisionMacro, double recallMacro, double f1Macro,
                                   double precisionWeighted, double recallWeighted, double f1Weighted,
                                   double rocAuc, double prAuc) {
}
