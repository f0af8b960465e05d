package pulse.http;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.ServerBuilder;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import pulse.engine.PulseEngine;
import pulse.engine.cluster.ClusterFormation;
import pulse.engine.common.ContinuationPool;
import pulse.engine.common.Failures;
import pulse.engine.health.Readiness;
import pulse.engine.ingest.EventParser;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.storage.CassandraStore;
import pulse.http.auth.ApiAuth;
import pulse.infra.PulseConfig;
import pulse.infra.credentials.CredentialsCheck;

/**
 * One Pulse node: an actor system in the cluster and the HTTP API in front of it.
 *
 * <p>{@code bin/pulse node [--config conf/local1.conf]} runs it in the foreground. SIGTERM / Ctrl-C
 * run Akka's coordinated shutdown: the HTTP port stops accepting, in-flight requests get {@code
 * pulse.http.shutdown-grace}, the node leaves the cluster, then the JVM exits.
 */
public final class PulseNode {
  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final boolean https;

  private PulseNode(ActorSystem<Void> system, ServerBinding binding, boolean https) {
    this.system = system;
    this.binding = binding;
    this.https = https;
  }

  public static void main(String[] args) {
    ContinuationPool.configureThisJvm(); // before anything touches the common pool
    Path configFile = Path.of("conf", "application.conf");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else {
        System.err.println(
            "pulse node: unknown argument '" + args[i] + "' (usage: node [--config FILE])");
        System.exit(2);
      }
    }
    try {
      Config config = PulseConfig.load(PulseConfig.home(), configFile, ConfigFactory.empty());
      PulseNode node = start(config);
      node.writePidFile();
      node.exitWhenCassandraSessionFails();
      System.out.println(
          "pulse node "
              + node.clusterAddress()
              + " serving "
              + (node.https ? "https" : "http")
              + "://"
              + node.httpHost()
              + ":"
              + node.httpPort());
    } catch (RuntimeException e) {
      System.err.println("pulse node: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Starts a node and returns once its HTTP port is bound; the cluster join and readiness follow on
   * their own.
   */
  public static PulseNode start(Config given) {
    Config config = PulseConfig.withDataPlaneLogins(given);
    // Wrong logins stop the node here, saying so; servers that are away only delay readiness.
    CredentialsCheck.requireAccepted(config, Duration.ofSeconds(5));
    Config node = ClusterFormation.configure(config);
    // Before the actor system: a key store that does not open stops the node here, by name.
    Optional<HttpsConnectionContext> https = NodeTls.https(config);
    NodeTls.checkArtery(node);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "pulse", node);
    if (!ContinuationPool.pooled()) {
      system
          .log()
          .warn(
              "the JVM's common pool has parallelism {}: every continuation of an ask starts a new"
                  + " thread, which makes this node several times slower; start it with -D{}={}"
                  + " (bin/pulse does)",
              ForkJoinPool.getCommonPoolParallelism(),
              ContinuationPool.PROPERTY,
              ContinuationPool.parallelismFor(Runtime.getRuntime().availableProcessors()));
    }
    try {
      String management =
          config.getString("akka.management.http.hostname")
              + ":"
              + config.getInt("akka.management.http.port");
      try {
        ClusterFormation.start(system).toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(
            "cannot start the management endpoint on "
                + management
                + " (akka.management.http; "
                + Failures.rootMessage(e)
                + ")",
            e);
      }
      Readiness readiness = Readiness.get(system);
      readiness.drainOnShutdown(config.getDuration("pulse.http.drain-delay"));
      Clock clock = Clock.systemUTC();
      PulseEngine engine = PulseEngine.start(system, PulseConfig.home(), clock);
      Route routes =
          Directives.concat(
              new HealthRoutes(readiness, Cluster.get(system).selfMember().address().toString())
                  .routes(),
              new UserRoutes(
                      engine.users(),
                      engine::forget,
                      engine.ingest(),
                      new EventParser(clock),
                      RetryAfterPolicy.fromConfig(config),
                      PulseMetrics.get(system),
                      config.getMemorySize("pulse.http.limits.events-body").toBytes())
                  .routes(),
              new RecommendationRoutes(engine.recommendations()).routes(),
              new ModelRoutes(
                      engine.pool(), engine.learning(), system, engine.modelDir().toString())
                  .routes(),
              new ExperimentRoutes(engine.experiments(), engine.analyst(), system).routes(),
              new RolloutRoutes(engine.rollouts(), system).routes(),
              new ItemRoutes(engine.catalog()).routes(),
              new MetricsRoutes(PulseMetrics.get(system).registry()).routes(),
              new OpenApiRoutes().routes());
      // Outside in: every request has an id (response header, error bodies, logs); metrics see
      // every answer; errors are JSON; the key's role is checked before any route runs.
      ApiAuth auth = ApiAuth.fromConfig(config.getConfig("pulse.http"), PulseMetrics.get(system));
      Duration reload = config.getDuration("pulse.http.auth.reload-interval");
      system
          .scheduler()
          .scheduleAtFixedRate(
              reload, reload, auth.keys()::reloadIfChanged, system.executionContext());
      HttpMetrics httpMetrics = new HttpMetrics(PulseMetrics.get(system));
      Route api = routes;
      routes =
          RequestIds.withRequestId(
              requestId ->
                  Directives.extractRequest(
                      request ->
                          httpMetrics.instrument(
                              EndpointTemplate.of(request.method().name(), request.getUri().path()),
                              () ->
                                  Directives.handleExceptions(
                                      ApiErrors.exceptions(requestId),
                                      () ->
                                          Directives.handleRejections(
                                              ApiErrors.rejections(), () -> auth.protect(api))))));
      String host = config.getString("pulse.http.host");
      int port = config.getInt("pulse.http.port");
      ServerBinding binding;
      try {
        ServerBuilder server = Http.get(system).newServerAt(host, port);
        binding =
            https
                .map(server::enableHttps)
                .orElse(server)
                .bind(routes)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(
            "cannot bind HTTP on " + host + ":" + port + " (" + Failures.rootMessage(e) + ")", e);
      }
      binding.addToCoordinatedShutdown(config.getDuration("pulse.http.shutdown-grace"), system);
      return new PulseNode(system, binding, https.isPresent());
    } catch (RuntimeException e) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reporting the start failure matters more
      }
      throw e;
    }
  }

  /**
   * akka-persistence-cassandra creates the node's session once: when its first connection fails
   * (not an outage later, which the driver rides out by reconnecting), every journal write and
   * readiness check fails for the rest of the process's life. A node in that state can only be
   * restarted, so it exits (status 3, after the usual drain) for its supervisor to do that, instead
   * of staying up not-ready.
   */
  private void exitWhenCassandraSessionFails() {
    CassandraStore.session(system)
        .underlying()
        .whenComplete(
            (session, error) -> {
              if (error != null) {
                System.err.println(
                    "pulse node: the Cassandra session failed to start and cannot recover ("
                        + Failures.rootMessage(error)
                        + "); exiting so that the node is restarted");
                new Thread(() -> System.exit(3), "pulse-exit").start();
              }
            });
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public String httpHost() {
    return binding.localAddress().getHostString();
  }

  public String clusterAddress() {
    return Cluster.get(system).selfMember().address().toString();
  }

  /** Runs coordinated shutdown and completes when the actor system has terminated. */
  public CompletionStage<Done> stop() {
    system.terminate();
    return system.getWhenTerminated();
  }

  public void awaitStopped(Duration timeout) throws Exception {
    stop().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * {@code var/run/node-<http port>.pid}, so {@code bin/pulse infra status|stop} see this node.
   * Only for nodes started by bin/pulse (which sets -Dpulse.var and -Dpulse.role=node); removed
   * again on shutdown.
   */
  private void writePidFile() {
    String var = System.getProperty("pulse.var");
    if (var == null) {
      return;
    }
    Path pidFile = Path.of(var, "run", "node-" + httpPort() + ".pid");
    try {
      Files.createDirectories(pidFile.getParent());
      Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      system.log().warn("cannot write {}: {}", pidFile, e.getMessage());
      return;
    }
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "remove-pid-file",
            () -> {
              try {
                Files.deleteIfExists(pidFile);
              } catch (IOException ignored) {
                // a stale pid file is detected by its command-line marker
              }
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }
}
