package io.sparkprop.core.tensor;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the GEMM backend once per JVM: native BLAS when dev.ludovic.netlib can load
 * {@code libblas.so.3} (OpenBLAS: {@code apt-get install libopenblas0-pthread}), its Java BLAS
 * otherwise (vectorised when the JVM runs with {@code --add-modules jdk.incubator.vector}).
 * The choice is logged once at INFO; netlib is asked for native BLAS only when the library is
 * there ({@link BlasLibrary}), which keeps its loader's raw stderr line away.
 */
public final class Gemms {
  private static final Logger LOG = LoggerFactory.getLogger(Gemms.class);
  private static volatile Gemm best;

  private Gemms() {
  }

  /** The fastest available backend (native when present), chosen and logged on first use. */
  public static Gemm best() {
    Gemm g = best;
    if (g == null) {
      synchronized (Gemms.class) {
        if (best == null) {
          Gemm chosen = nativeBlas();
          if (chosen != null) {
            LOG.info("BLAS backend: {} through {}", chosen.name(), BlasLibrary.locate());
          } else {
            chosen = javaBlas();
            LOG.info("BLAS backend: {}; no native {} found or loadable (for OpenBLAS: apt-get install "
                + "libopenblas0-pthread)", chosen.name(), System.getProperty(BlasLibrary.NAME_PROPERTY,
                BlasLibrary.DEFAULT_NAME));
          }
          best = chosen;
        }
        g = best;
      }
    }
    return g;
  }

  /**
   * Native BLAS through netlib, or null when no native library loads. netlib is asked only when
   * {@link BlasLibrary#locate} finds the library: otherwise its loader prints a raw line to stderr.
   */
  public static Gemm nativeBlas() {
    if (BlasLibrary.locate() == null) {
      // netlib's first use (its Java BLAS too) tries native BLAS unless this property says no
      if (System.getProperty(BlasLibrary.ALLOW_NATIVE_PROPERTY) == null) {
        System.setProperty(BlasLibrary.ALLOW_NATIVE_PROPERTY, "false");
      }
      return null;
    }
    try {
      BLAS nat = NativeBLAS.getInstance();
      return new NetlibGemm(nat, "native BLAS (" + nat.getClass().getSimpleName() + ")");
    } catch (Throwable e) {
      return null;
    }
  }

  /** netlib's pure-Java BLAS (the vectorised variant when the vector module is present). */
  public static Gemm javaBlas() {
    BLAS java = JavaBLAS.getInstance();
    return new NetlibGemm(java, "Java BLAS (" + java.getClass().getSimpleName() + ")");
  }

  /** The EJML reference implementation. */
  public static Gemm ejml() {
    return new EjmlGemm();
  }
}
