/**
 * ONNX export: {@link io.sparkprop.core.onnx.OnnxExport} turns a {@link io.sparkprop.core.model.Model}
 * into an ONNX model that ONNX Runtime (or any ONNX consumer) serves outside Spark and the JVM.
 *
 * <p>The protobuf wire format is written directly with {@code CodedOutputStream} against the
 * field numbers of the published {@code onnx.proto} (no generated classes): the messages are in
 * {@code OnnxProto}. Each layer kind maps to its ONNX nodes through one table,
 * {@code LayerForms}; a layer kind missing from it makes the export fail with the layer named.
 * The sequence layers' forms are in {@code SequenceForms}, {@code RecurrentForms} (the ONNX
 * RNN/LSTM/GRU operators) and {@code AttentionForms}; a token model's graph takes int64 ids and
 * derives the lengths and padding mask from them ({@code GraphBuilder#lengths}). The
 * preprocessing saved with a model ({@link io.sparkprop.core.data.Preprocessing}) becomes the
 * graph's first nodes and its label output.
 */
package io.sparkprop.core.onnx;
