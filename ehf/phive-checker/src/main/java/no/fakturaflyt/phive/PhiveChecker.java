package no.fakturaflyt.phive;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.helger.base.location.ILocation;
import com.helger.diagnostics.error.IError;
import com.helger.diagnostics.error.level.EErrorLevel;
import com.helger.diver.api.coord.DVRCoordinate;
import com.helger.io.resource.inmemory.ReadableResourceByteArray;
import com.helger.phive.api.EValidationType;
import com.helger.phive.api.execute.ValidationExecutionManager;
import com.helger.phive.api.executorset.IValidationExecutorSet;
import com.helger.phive.api.executorset.ValidationExecutorSetRegistry;
import com.helger.phive.api.result.ValidationResult;
import com.helger.phive.api.result.ValidationResultList;
import com.helger.phive.api.validity.IValidityDeterminator;
import com.helger.phive.peppol.PeppolValidation2026_05;
import com.helger.phive.xml.source.IValidationSourceXML;
import com.helger.phive.xml.source.ValidationSourceXML;

/**
 * phive (the engine behind the Peppol practical validator) with phive-rules-peppol 4.3.7's "2026.5" set (Peppol BIS
 * Billing 3.0.21 + CEN EN 16931 1.3.16, the rules our Schematron layers come from), as one JVM over many files, so a
 * caller pays the JVM start and the rule compilation once.
 *
 * Reads commands from stdin, one a line, and answers each with one JSON line on stdout:
 *   check PATH                     → {"file":PATH,"document":"Invoice","ms":3.2,"findings":[{"layer":"xsd|cen|peppol",
 *                                     "id":"BR-01"|"XSD","severity":"fatal|warning|info","location":"…","text":"…"}],
 *                                     "skipped":["peppol"]}
 *                                    (the document type is chosen by the root element: Invoice or CreditNote)
 *   time THREADS COUNT PATH         → {"file":PATH,"threads":T,"count":N,"ms":…,"perSecond":…,"fatal":["BR-01",…]}
 *                                    validates the file COUNT times on THREADS threads (the file is read once; every
 *                                    validation parses it again from memory, as a validator receiving it would)
 *   warm PATH                       → {"warm":PATH} after validating it a few times, so the JIT has compiled the rules
 * An error that is not a verdict on the document (unreadable file) answers {"file":PATH,"error":"…"}.
 * "ready" on the first line tells the caller the rules are loaded.
 */
public final class PhiveChecker {
  private static final ValidationExecutorSetRegistry<IValidationSourceXML> REGISTRY = new ValidationExecutorSetRegistry<>();
  private static final IValidityDeterminator<IValidationSourceXML> VALIDITY = IValidityDeterminator.createDefault();

  private PhiveChecker() {}

  public static void main(String[] args) throws Exception {
    PeppolValidation2026_05.init(REGISTRY);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    // Load and compile both rule sets before the first command, so that no document's time includes it.
    for (DVRCoordinate id : new DVRCoordinate[] { PeppolValidation2026_05.VID_OPENPEPPOL_INVOICE_UBL_V3, PeppolValidation2026_05.VID_OPENPEPPOL_CREDIT_NOTE_UBL_V3 }) {
      if (REGISTRY.getOfID(id) == null) throw new IllegalStateException("phive-rules-peppol has no " + id.getAsSingleID());
    }
    out.println("{\"ready\":\"" + json(PeppolValidation2026_05.VERSION_STR) + "\"}");
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null;) {
      if (line.isBlank()) continue;
      String[] parts = line.split(" ", 4);
      String file = "";
      try {
        switch (parts[0]) {
          case "check" -> {
            file = line.substring("check ".length());
            out.println(check(file));
          }
          case "time" -> {
            file = parts[3];
            out.println(time(file, Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
          }
          case "warm" -> {
            file = line.substring("warm ".length());
            byte[] bytes = Files.readAllBytes(Path.of(file));
            for (int i = 0; i < 5; i++) validate(bytes);
            out.println("{\"warm\":\"" + json(file) + "\"}");
          }
          default -> out.println("{\"error\":\"unknown command: " + json(parts[0]) + "\"}");
        }
      } catch (Exception e) {
        out.println("{\"file\":\"" + json(file) + "\",\"error\":\"" + json(String.valueOf(e)) + "\"}");
      }
      out.flush();
    }
  }

  /** Invoice or CreditNote by the root element's name, read from the bytes without a parser (a malformed document still gets the XSD's verdict). */
  private static IValidationExecutorSet<IValidationSourceXML> executorSetFor(byte[] bytes) {
    String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8);
    boolean creditNote = head.matches("(?s).*<([A-Za-z_][\\w.-]*:)?CreditNote[\\s>].*");
    return REGISTRY.getOfID(creditNote ? PeppolValidation2026_05.VID_OPENPEPPOL_CREDIT_NOTE_UBL_V3 : PeppolValidation2026_05.VID_OPENPEPPOL_INVOICE_UBL_V3);
  }

  private static ValidationResultList validate(byte[] bytes) {
    IValidationExecutorSet<IValidationSourceXML> set = executorSetFor(bytes);
    ValidationSourceXML source = ValidationSourceXML.create(new ReadableResourceByteArray("document.xml", bytes, false));
    return ValidationExecutionManager.executeValidation(VALIDITY, set, source, Locale.US);
  }

  private static String layerOf(ValidationResult result) {
    if (result.getValidationArtefact().getValidationType() == EValidationType.XSD) return "xsd";
    String rules = result.getValidationArtefact().getRuleResourcePath();
    if (rules.contains("CEN-EN16931")) return "cen";
    if (rules.contains("PEPPOL-EN16931")) return "peppol";
    return rules;
  }

  private static String severityOf(IError error) {
    if (error.getErrorLevel().isGE(EErrorLevel.ERROR)) return "fatal";
    if (error.getErrorLevel().isGE(EErrorLevel.WARN)) return "warning";
    return "info";
  }

  private static String check(String file) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(file));
    long start = System.nanoTime();
    ValidationResultList results = validate(bytes);
    double ms = (System.nanoTime() - start) / 1e6;
    StringBuilder findings = new StringBuilder();
    List<String> skipped = new ArrayList<>();
    for (ValidationResult result : results) {
      String layer = layerOf(result);
      if (result.isSkipped()) {
        skipped.add("\"" + json(layer) + "\"");
        continue;
      }
      for (IError error : result.getErrorList()) {
        if (findings.length() > 0) findings.append(',');
        // XSD errors carry no rule id: they are one finding, "XSD", as our UBL-XSD is.
        String id = layer.equals("xsd") ? "XSD" : error.getErrorID();
        ILocation where = error.getErrorLocation();
        String location = error.hasErrorFieldName() ? error.getErrorFieldName()
          : where != null && where.hasLineNumber() ? where.getLineNumber() + ":" + where.getColumnNumber() : "";
        findings.append("{\"layer\":\"").append(json(layer)).append("\",\"id\":\"").append(json(id == null ? "" : id))
          .append("\",\"severity\":\"").append(severityOf(error)).append("\",\"location\":\"").append(json(location))
          .append("\",\"text\":\"").append(json(error.getErrorText(Locale.US))).append("\"}");
      }
    }
    return "{\"file\":\"" + json(file) + "\",\"document\":\"" + (executorSetFor(bytes).getID().equals(PeppolValidation2026_05.VID_OPENPEPPOL_CREDIT_NOTE_UBL_V3) ? "CreditNote" : "Invoice")
      + "\",\"ms\":" + String.format(Locale.ROOT, "%.3f", ms) + ",\"findings\":[" + findings + "],\"skipped\":[" + String.join(",", skipped) + "]}";
  }

  /** COUNT validations of one document on THREADS threads, timed from the first start to the last end. */
  private static String time(String file, int threads, int count) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(file));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      AtomicInteger left = new AtomicInteger(count);
      List<Future<List<String>>> done = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          List<String> fatal = new ArrayList<>();
          while (left.getAndDecrement() > 0) {
            fatal = new ArrayList<>();
            for (ValidationResult result : validate(bytes)) {
              for (IError error : result.getErrorList()) {
                if (error.getErrorLevel().isGE(EErrorLevel.ERROR)) fatal.add(layerOf(result).equals("xsd") ? "XSD" : error.getErrorID());
              }
            }
          }
          return fatal;
        }));
      }
      List<String> fatal = new ArrayList<>();
      for (Future<List<String>> f : done) {
        List<String> found = f.get();
        if (!found.isEmpty()) fatal = found;
      }
      double ms = (System.nanoTime() - start) / 1e6;
      StringBuilder ids = new StringBuilder();
      for (String id : fatal.stream().distinct().sorted().toList()) ids.append(ids.length() > 0 ? "," : "").append('"').append(json(id)).append('"');
      return "{\"file\":\"" + json(file) + "\",\"threads\":" + threads + ",\"count\":" + count + ",\"ms\":" + String.format(Locale.ROOT, "%.3f", ms)
        + ",\"perSecond\":" + String.format(Locale.ROOT, "%.3f", count / (ms / 1000)) + ",\"fatal\":[" + ids + "]}";
    } finally {
      pool.shutdownNow();
    }
  }

  private static String json(String text) {
    if (text == null) return "";
    StringBuilder b = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.toString();
  }
}
