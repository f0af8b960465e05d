package pulse.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yaml}: the OpenAPI 3.1 description of this API (the resource {@code
 * openapi.yaml} of this module), open like the probes by default.
 */
public final class OpenApiRoutes extends AllDirectives {
  static final String RESOURCE = "/openapi.yaml";
  private static final ContentType YAML = ContentTypes.parse("application/yaml; charset=utf-8");

  private final byte[] document;

  public OpenApiRoutes() {
    this.document = load();
  }

  /** The document's bytes, as served. */
  static byte[] load() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + RESOURCE + " is missing from the build");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Route routes() {
    return path(
        "openapi.yaml",
        () -> get(() -> complete(StatusCodes.OK, HttpEntities.create(YAML, document))));
  }
}
