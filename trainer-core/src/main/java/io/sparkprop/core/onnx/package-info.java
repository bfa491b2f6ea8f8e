/**
 * ONNX export: {@link io.sparkprop.core.onnx.OnnxExport} turns a {@link io.sparkprop.core.model.Model}
 * into an ONNX model that ONNX Runtime (or any ONNX consumer) serves outside Spark and the JVM.
 *
 * <p>The protobuf wire format is written directly with {@code CodedOutputStream} against the
 * field numbers of the published {@code onnx.proto} (no generated classes): the messages are in
 * {@code OnnxProto}. Each layer kind maps to its ONNX nodes through one table,
 * {@code LayerForms}; a layer kind missing from it makes the export fail with the layer named.
 */
package io.sparkprop.core.onnx;
