/**
 * The feedback topic: every persisted event, keyed by user, for the online learner. {@link
 * FeedbackOutbox} writes it from the journal (projections over the user actors' journal tags,
 * offsets in Cassandra: at least once, in each user's persisted order), {@link FeedbackReader}
 * reads it for the learner from offsets the learner stores, and {@link FeedbackWire} is the one
 * record format both use.
 *
 * <p>May import: the ground floor ({@code event}, {@code common}) and {@code metrics}.
 */
package pulse.engine.feedback;
