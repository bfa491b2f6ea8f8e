/**
 * Text input: {@link io.sparkprop.core.text.TextVectorizer} turns raw text into token ids
 * ({@code 0} padding, {@code 1} unknown) with a vocabulary learned from training data, and is saved
 * as JSON beside a model so that prediction on raw text uses the same ids.
 */
package io.sparkprop.core.text;
