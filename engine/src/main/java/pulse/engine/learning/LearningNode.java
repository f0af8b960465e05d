package pulse.engine.learning;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import java.time.Duration;
import pulse.engine.inference.InferencePool;
import pulse.engine.inference.InferenceSettings;
import pulse.engine.ingest.EventIngest;
import pulse.engine.metrics.PulseMetrics;
import pulse.engine.recommend.RecommendationService;
import pulse.engine.feedback.FeedbackPublisher;
import pulse.engine.versions.ModelVersionStore;
import pulse.engine.versions.ModelUpdate;
import pulse.engine.versions.ModelFollower;

/**
 * The online-learning side of one node: the follower that keeps this node's pool on the learner's versions,
 * the publisher that puts persisted events on the feedback topic, and this node's share of the learner
 * singleton (it runs on one node; every node has a proxy to it).
 */
public final class LearningNode {
  private final ActorRef<OnlineLearner.Command> learner;
  private final LearnerSettings settings;
  private final ModelVersionStore store;

  private LearningNode(ActorRef<OnlineLearner.Command> learner, LearnerSettings settings, ModelVersionStore store) {
    this.learner = learner;
    this.settings = settings;
    this.store = store;
  }

  /** Null when {@code pulse.learning.enabled} is off: the node then serves its model folder only. */
  public static LearningNode start(ActorSystem<?> system, ActorRef<InferencePool.Command> pool,
      InferenceSettings inference, EventIngest ingest, RecommendationService service) {
    LearnerSettings settings = LearnerSettings.fromConfig(system.settings().config());
    if (!settings.enabled()) {
      return null;
    }
    ModelVersionStore store = ModelVersionStore.create(system, settings.modelName());
    ActorRef<Topic.Command<ModelUpdate>> topic =
        system.systemActorOf(ModelUpdate.topic(), "model-updates", Props.empty());
    system.systemActorOf(ModelFollower.create(pool, store, topic, inference), "model-follower",
        Props.empty());
    FeedbackPublisher publisher = FeedbackPublisher.create(system, settings.topic());
    ingest.addPersistedListener(publisher::publish);
    service.addImpressionListener(publisher::publish);
    LearnerMetrics metrics = new LearnerMetrics(PulseMetrics.get(system).registry());
    ActorRef<OnlineLearner.Command> learner = ClusterSingleton.get(system).init(SingletonActor.of(
            Behaviors.supervise(OnlineLearner.create(settings, store, inference.modelDir(), topic, metrics))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
            "online-learner")
        .withProps(DispatcherSelector.fromConfig("pulse.learning.dispatcher")));
    return new LearningNode(learner, settings, store);
  }

  /** Reports the version this node's pool serves to the learner (update latency, GET /v1/model). */
  public void serving(ActorSystem<?> system, String version) {
    learner.tell(new OnlineLearner.NodeServes(Cluster.get(system).selfMember().address().toString(), version,
        System.currentTimeMillis()));
  }

  public ActorRef<OnlineLearner.Command> learner() {
    return learner;
  }

  public ModelVersionStore store() {
    return store;
  }

  public LearnerSettings settings() {
    return settings;
  }
}
