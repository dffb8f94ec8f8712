#!/bin/sh
# Builds a trimmed Java runtime for the gateway, for boxes without a JDK or JRE: only the JDK
# modules the jar uses (found by jdeps), plus those loaded by name that jdeps cannot see.
#   deploy/jlink-runtime.sh gateway/target/gateway.jar gateway/target/runtime
# Then: gateway/target/runtime/bin/java -jar gateway.jar ... (or JAVA=.../bin/java for the launcher,
# whose cds-archive works on it: the runtime carries the JDK's base class-data archive).
# Needs a full JDK 17+ (jdeps, jlink, jmods); JAVA_HOME selects it, else the one `java` runs from.
# The runtime is for the build machine's OS and CPU: build it on (or for) the box's architecture.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: jlink-runtime.sh GATEWAY_JAR OUTPUT_DIR" >&2
  exit 2
fi
jar=$1
out=$2
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
modules=$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$jar")
# Loaded as providers or by name at run time, invisible to jdeps: elliptic-curve keys and TLS
# cipher suites (jdk.crypto.ec), charsets beyond the standard ones (jdk.charsets: GBK, GB18030 of
# Chinese devices), DNS lookups through JNDI (jdk.naming.dns), zip file systems (jdk.zipfs).
modules="$modules,jdk.crypto.ec,jdk.charsets,jdk.naming.dns,jdk.zipfs"
rm -rf "$out"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --generate-cds-archive --output "$out"
echo "$out: $(du -sh "$out" | cut -f1) Java runtime with $modules"
