# Images for the silo and the edge, from one build:
#   docker build --target silo -t registry.example.com/callcontrol/silo:0.1.0 .
#   docker build --target edge -t registry.example.com/callcontrol/edge:0.1.0 .
# Multi-stage: the SDK image restores and publishes; the runtime images hold only the published output and run as
# the .NET images' non-root "app" user (UID 1654), which the Kubernetes manifests name in runAsUser.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first, so the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Sip/Sip.csproj src/Sip/
COPY src/Grains.Abstractions/Grains.Abstractions.csproj src/Grains.Abstractions/
COPY src/Calls/Calls.csproj src/Calls/
COPY src/Media/Media.csproj src/Media/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Storage/Storage.csproj src/Storage/
COPY src/Storage.Orleans/Storage.Orleans.csproj src/Storage.Orleans/
COPY src/Edge/Edge.csproj src/Edge/
COPY src/Silo/Silo.csproj src/Silo/
RUN dotnet restore src/Silo/Silo.csproj && dotnet restore src/Edge/Edge.csproj
COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release --no-restore -o /out/silo \
 && dotnet publish src/Edge/Edge.csproj -c Release --no-restore -o /out/edge

# The ASP.NET Core runtime: both processes serve /healthz, /readyz and /metrics. It keeps coreutils, which the
# edge's preStop (sleep) needs.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    CallControl__Http__ListenAddress=0.0.0.0
WORKDIR /app
USER 1654

FROM runtime AS silo
COPY --from=build --chown=root:root /out/silo ./
EXPOSE 11111 30000 8080
ENTRYPOINT ["dotnet", "CallControl.Silo.dll"]

FROM runtime AS edge
COPY --from=build --chown=root:root /out/edge ./
EXPOSE 5060/udp 5060/tcp 5061/tcp 8080
ENTRYPOINT ["dotnet", "CallControl.Edge.dll"]
