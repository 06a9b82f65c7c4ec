package io.meridian.gateway;

import io.meridian.infra.servers.SharedServersTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A {@code @QuarkusTest} of the gateway against the shared real Redis and Kafka. */
@QuarkusTest
@QuarkusTestResource(SharedServersTestResource.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface GatewayTest {}
