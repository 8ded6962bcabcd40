import { loadConfig } from '../../src/config/config';

describe('tracing settings', () => {
  test('off by default; an OTLP endpoint turns it on', () => {
    expect(loadConfig({}).tracing).toMatchObject({
      enabled: false,
      serviceName: 'kpi-gateway',
      sampleRatio: 1,
    });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toMatchObject({
      enabled: true,
      url: 'http://collector:4318/v1/traces',
    });
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example.com/custom/traces' }).tracing,
    ).toMatchObject({ enabled: true, url: 'https://otel.example.com/custom/traces' });
  });

  test('OTEL_TRACES_ENABLED and OTEL_SDK_DISABLED decide over the endpoint', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(loadConfig({ ...endpoint, OTEL_TRACES_ENABLED: 'false' }).tracing.enabled).toBe(false);
    expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).tracing.enabled).toBe(false);
    expect(loadConfig({ OTEL_TRACES_ENABLED: 'true' }).tracing).toMatchObject({
      enabled: true,
      url: 'http://localhost:4318/v1/traces',
    });
  });

  test('export headers in the specification’s format; invalid values fail at boot', () => {
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D1, tenant = acme ,broken' }).tracing.headers,
    ).toEqual({ 'x-api-key': 'abc=1', tenant: 'acme' });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });

  test('failed-authentication limits', () => {
    expect(loadConfig({}).auth.failures).toEqual({ burst: 20, perMinute: 10 });
    expect(loadConfig({ AUTH_FAILURES_BURST: '5', AUTH_FAILURES_PER_MINUTE: '2' }).auth.failures).toEqual({
      burst: 5,
      perMinute: 2,
    });
    expect(() => loadConfig({ AUTH_FAILURES_BURST: '0' })).toThrow(/AUTH_FAILURES_BURST/);
  });
});
