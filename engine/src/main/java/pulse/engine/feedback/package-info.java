/**
 * The feedback topic: every persisted event, keyed by user, for the online learner. {@link
 * FeedbackPublisher} writes it (one sender thread, so a user's events keep their persisted order),
 * {@link FeedbackReader} reads it for the learner from offsets the learner stores, and {@link
 * FeedbackWire} is the one record format both use.
 *
 * <p>May import: the ground floor ({@code event}, {@code common}).
 */
package pulse.engine.feedback;
