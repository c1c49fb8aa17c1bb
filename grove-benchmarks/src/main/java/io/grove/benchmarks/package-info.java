/**
 * JMH benchmarks of the ingest stages, one class per stage; throughput is reported in MiB/s by counting one
 * JMH operation per MiB ({@code @OperationsPerInvocation}). Build with {@code mvn -pl grove-benchmarks -am
 * package -DskipTests} and run {@code java -jar grove-benchmarks/target/benchmarks.jar} on the newest JDK.
 */
package io.grove.benchmarks;
