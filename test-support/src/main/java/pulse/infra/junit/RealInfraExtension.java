package pulse.infra.junit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(RealInfraExtension.class)}: every test class of the JVM shares one {@link
 * RealInfra}, which a test method or constructor receives as a parameter. It lives in the root
 * context's store, so JUnit closes it once, after the last test class, whether the tests passed or
 * not.
 */
public final class RealInfraExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealInfraExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    infra(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealInfra.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return infra(context);
  }

  static RealInfra infra(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(RealInfra.class, k -> RealInfra.start(), RealInfra.class);
  }
}
