/**
 * How a client logs in to the data plane: {@link pulse.infra.credentials.CassandraAuth} (the
 * DataStax driver's plain-text auth provider) and {@link pulse.infra.credentials.KafkaSecurity}
 * (kafka-clients' security protocol and SASL login), each read from one config block and turned
 * into client settings in one place, and {@link pulse.infra.credentials.CredentialsCheck}, which
 * makes a node with wrong credentials stop at start with a message that says so. Imports nothing
 * else of Pulse: every module's clients (engine, http-api, infra's own) use it.
 */
package pulse.infra.credentials;
