package io.aiops.sandbox;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.RecordStreamSource;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import java.net.URI;

/**
 * The in-memory Zeebe engine of Zeebe Process Test, behind one small class so that moving to its successor touches
 * one place. Non-production licence: used only by the sandbox and by tests, never by a deployable module.
 */
public final class EmbeddedZeebe implements AutoCloseable {

  private final ZeebeTestEngine engine;

  private EmbeddedZeebe(ZeebeTestEngine engine) {
    this.engine = engine;
  }

  /** Starts a fresh engine on a free port. */
  public static EmbeddedZeebe start() {
    ZeebeTestEngine engine = EngineFactory.create();
    engine.start();
    return new EmbeddedZeebe(engine);
  }

  /** The gRPC address as a plaintext URI, for {@code camunda.client.grpc-address}. */
  public URI grpcAddress() {
    // the engine reports "0.0.0.0:PORT" without a scheme; an http scheme means plaintext to the client
    String address = engine.getGatewayAddress().replace("0.0.0.0", "127.0.0.1");
    return URI.create("http://" + address);
  }

  /** A client of the engine (gRPC only: the engine has no REST API). */
  public CamundaClient newClient() {
    return CamundaClient.newClientBuilder().grpcAddress(grpcAddress()).preferRestOverGrpc(false).build();
  }

  /** The engine's record stream, for process assertions. */
  public RecordStreamSource recordStream() {
    return engine.getRecordStreamSource();
  }

  @Override
  public void close() {
    engine.stop();
  }
}
