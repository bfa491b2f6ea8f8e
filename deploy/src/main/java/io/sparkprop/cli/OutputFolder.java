package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run folder of one {@code train}, held for the length of the run so that nothing of another
 * run is lost or mixed in:
 * <ul>
 *   <li><b>Lock.</b> {@value #LOCK} is created with create-new semantics (atomic on local file
 *   systems) and holds "pid@host start-time"; a second run into the folder refuses. It is deleted
 *   when the run ends, however it ends short of a killed JVM (a shutdown hook covers Ctrl-C and
 *   SIGTERM). A lock left by a killed run is
 *   <em>stale</em>: when its pid is on this host and no longer alive, it is taken over with a
 *   warning; otherwise the message names the lock file, to be deleted by hand once that run is
 *   known to be gone.</li>
 *   <li><b>An existing run is never overwritten silently.</b> A folder holding a run (any
 *   {@link #RUN_FILES} entry) refuses unless {@code --overwrite}; a non-empty folder that is not a
 *   run refuses always (nothing of the user's is deleted). With {@code --overwrite} the old run's
 *   entries are moved into {@value #PREVIOUS} at the start and deleted only after the new run
 *   succeeded, so the folder ends holding the new run whole (no stale confusion matrix or
 *   checkpoint); when the new run fails before saving anything, the old run is moved back.</li>
 *   <li>Continuing a run ({@code --resume} of a checkpoint inside the folder) keeps the folder.</li>
 * </ul>
 * A folder this run created is deleted again when the run fails before its model or a checkpoint
 * was written.
 */
final class OutputFolder implements AutoCloseable {
  /** The lock file's name. */
  static final String LOCK = ".sparkprop.lock";
  /** Where an overwritten run waits until the new one has succeeded. */
  static final String PREVIOUS = ".previous-run";
  /** Entries that mark a folder as holding a run. */
  static final List<String> RUN_FILES = List.of(RunFolder.MODEL, "config.json", "history.csv", "metrics.json",
      "checkpoint");

  private final Path path;
  private final Path lock;
  private final boolean created;
  private final boolean replacing;
  /** False when continuing a run in its folder: then a failure deletes nothing. */
  private final boolean ownsContents;
  private boolean succeeded;
  /** Deletes the lock when the JVM is stopped (Ctrl-C, SIGTERM) before {@link #close} runs. */
  private final Thread onExit;

  private OutputFolder(Path path, Path lock, boolean created, boolean replacing, boolean ownsContents) {
    this.path = path;
    this.lock = lock;
    this.created = created;
    this.replacing = replacing;
    this.ownsContents = ownsContents;
    this.onExit = new Thread(() -> {
      try {
        Files.deleteIfExists(lock);
      } catch (IOException e) {
        // the JVM is going: a lock left behind is stale and taken over by the next run
      }
    }, "sparkprop-lock");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /** The folder. */
  Path path() {
    return path;
  }

  /**
   * Takes {@code folder} for a run: creates it when missing, takes the lock, and refuses (a
   * {@link ConfigException}, before anything is changed) a folder in use or holding a run
   * without {@code overwrite}. {@code resumeFrom} (may be null) is the checkpoint being resumed.
   */
  static OutputFolder claim(Path folder, boolean overwrite, String resumeFrom, java.io.PrintWriter out)
      throws IOException {
    return claim(folder, !Files.exists(folder), overwrite, resumeFrom, out);
  }

  /** As {@link #claim(Path, boolean, String, java.io.PrintWriter)}; {@code created}: the caller just created it. */
  static OutputFolder claim(Path folder, boolean created, boolean overwrite, String resumeFrom,
                            java.io.PrintWriter out) throws IOException {
    if (!created && !Files.isDirectory(folder)) {
      throw new ConfigException("--output " + folder + ": is a file, expected a folder");
    }
    Files.createDirectories(folder);
    Path lock = folder.resolve(LOCK);
    take(lock, out);
    try {
      List<String> entries;
      try (Stream<Path> s = Files.list(folder)) {
        entries = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LOCK)).sorted().toList();
      }
      boolean run = entries.stream().anyMatch(OutputFolder::isRunFile);
      boolean continuing = resumeFrom != null && inside(resumeFrom, folder);
      if (entries.isEmpty()) {
        return new OutputFolder(folder, lock, created, false, true);
      }
      if (run && continuing) {
        return new OutputFolder(folder, lock, created, false, false);
      }
      if (!run) {
        throw new ConfigException("--output " + folder + ": the folder holds files that are not a run's (" 
            + String.join(", ", entries.subList(0, Math.min(3, entries.size())))
            + (entries.size() > 3 ? ", ..." : "") + "); choose a new or empty folder");
      }
      if (!overwrite) {
        throw new ConfigException(folder + " already holds a run (" + String.join(", ", entries.stream()
            .filter(OutputFolder::isRunFile).toList()) + "); pass --overwrite to replace it, or choose another folder");
      }
      Path previous = folder.resolve(PREVIOUS);
      deleteTree(previous);
      Files.createDirectory(previous);
      for (String e : entries) {
        if (!e.equals(PREVIOUS)) {
          Files.move(folder.resolve(e), previous.resolve(e), StandardCopyOption.ATOMIC_MOVE);
        }
      }
      out.println("replacing the run in " + folder + " (--overwrite)");
      return new OutputFolder(folder, lock, created, true, true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(lock);
      if (created) {
        Files.deleteIfExists(folder);
      }
      throw e;
    }
  }

  private static boolean isRunFile(String name) {
    return RUN_FILES.contains(name) || name.startsWith("checkpoint.") || name.equals(PREVIOUS);
  }

  /** Whether {@code checkpoint} (a local path or file: URI) lies in {@code folder}. */
  private static boolean inside(String checkpoint, Path folder) {
    try {
      Path p = checkpoint.startsWith("file:") ? Path.of(java.net.URI.create(checkpoint)) : Path.of(checkpoint);
      return p.toAbsolutePath().normalize().startsWith(folder.toAbsolutePath().normalize());
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      return false; // another file system (hdfs://...): not this local folder
    }
  }

  /** Creates {@code lock} atomically, taking over a stale one (a dead process on this host). */
  private static void take(Path lock, java.io.PrintWriter out) throws IOException {
    String me = ProcessHandle.current().pid() + "@" + host() + " " + Instant.now();
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.writeString(lock, me, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return;
      } catch (FileAlreadyExistsException e) {
        String holder = read(lock);
        if (attempt == 0 && stale(holder)) {
          out.println("warning: taking over the stale lock " + lock + " (" + holder + ": that process has ended)");
          Files.deleteIfExists(lock);
          continue;
        }
        throw new ConfigException(lock.getParent() + " is in use by another run (" + holder + "); wait for it, "
            + "or choose another folder (if that run is gone, delete " + lock + ")");
      }
    }
  }

  private static String read(Path lock) {
    try {
      return Files.readString(lock, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return "?";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "pid@host time" of a process on this host that is no longer alive. */
  static boolean stale(String holder) {
    int at = holder.indexOf('@');
    int sp = holder.indexOf(' ');
    if (at < 1 || sp < at) {
      return false;
    }
    try {
      long pid = Long.parseLong(holder.substring(0, at));
      return holder.substring(at + 1, sp).equals(host()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  /** Marks the run as finished: the replaced run's files are deleted on close. */
  void succeeded() {
    succeeded = true;
  }

  /**
   * Ends the run: deletes the replaced run after a success; after a failure, deletes what this
   * run wrote unless it got as far as a model or checkpoint (then the replaced run stays in
   * {@value #PREVIOUS}), else moves the replaced run back. Releases the lock.
   */
  @Override
  public void close() throws IOException {
    try {
      Path previous = path.resolve(PREVIOUS);
      if (succeeded) {
        if (replacing) {
          deleteTree(previous);
        }
        return;
      }
      boolean kept = Files.exists(path.resolve(RunFolder.MODEL)) || Files.exists(path.resolve("checkpoint"));
      if (kept || !ownsContents) {
        return;
      }
      try (Stream<Path> s = Files.list(path)) {
        for (Path p : s.toList()) {
          String n = p.getFileName().toString();
          if (!n.equals(LOCK) && !n.equals(PREVIOUS)) {
            deleteTree(p);
          }
        }
      }
      if (replacing) {
        try (Stream<Path> s = Files.list(previous)) {
          for (Path p : s.toList()) {
            Files.move(p, path.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
          }
        }
        Files.delete(previous);
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException e) {
        // already shutting down: the hook deletes the lock
      }
      Files.deleteIfExists(lock);
      if (created && !succeeded) {
        try (Stream<Path> s = Files.list(path)) {
          if (s.findAny().isEmpty()) {
            Files.delete(path);
          }
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
