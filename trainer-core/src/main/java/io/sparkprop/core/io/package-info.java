/**
 * Files: the project's one configured JSON mapper ({@link io.sparkprop.core.io.Json}), model
 * files ({@link io.sparkprop.core.io.ModelIO}: a folder with {@code model.json} and
 * {@code params.bin}, see {@link io.sparkprop.core.io.ParamsFile} for the binary layout), atomic
 * writes ({@link io.sparkprop.core.io.AtomicFiles}) and the IDX reader for MNIST-style data
 * ({@link io.sparkprop.core.io.IdxReader}).
 *
 * <p>Every reader works on {@link java.io.InputStream}s with a {@code source} name used in error
 * messages, so the Spark module can read and write any Hadoop file system path; the
 * {@link java.nio.file.Path} methods are conveniences over them. A broken file fails with a
 * {@link io.sparkprop.core.io.FileFormatException} whose message starts with the file's name and
 * says what is wrong. Nothing here uses Java serialization.
 */
package io.sparkprop.core.io;
