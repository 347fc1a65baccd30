# One image for every Nguồn service; docker-compose.yml runs it with different commands
# (serve-capture, serve-web, relay, projector, db migrate).
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md* ./
COPY shared ./shared
COPY services ./services
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NGUON_ENVIRONMENT=production \
    NGUON_HOST=0.0.0.0 \
    NGUON_PORT=8000

COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels nguon && rm -rf /wheels \
    && useradd --system --uid 10001 --user-group --home-dir /app --create-home --shell /usr/sbin/nologin nguon

USER nguon
WORKDIR /app
EXPOSE 8000

ENTRYPOINT ["nguon"]
CMD ["--help"]
