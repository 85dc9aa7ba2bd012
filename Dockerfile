# The registry's image: four stages, and only the last one ships.
#   assets  NL Design System CSS and Spectral (the worker's API linter) from npm
#   build   a virtualenv with the dependencies, the compiled translations and
#           the collected static files
#   runtime python-slim with Graphviz (the landscapes' layout engine)
#   final   runtime with that virtualenv and the code: no compiler, no pip,
#           only node itself for Spectral, running as uid 1000, on a read-only root filesystem
#           (writes go to /tmp, an emptyDir in Kubernetes)

FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY pyproject.toml README.md ./
COPY registry ./registry
COPY components ./components
COPY accounts ./accounts
COPY manage.py ./
COPY locale ./locale
COPY --from=assets /app/node_modules ./node_modules
# Node runs Spectral, the API Design Rules linter of the worker (components/quality.py):
# node_modules (production dependencies only) stays in /app for it.
COPY --from=assets /usr/local/bin/node /usr/local/bin/node
# The dependencies go into the virtualenv; the code runs from /app, so the
# project's own copy in site-packages is removed again.
RUN pip install . && pip uninstall --yes component-registry \
    && pybabel -q compile -d locale -D django \
    && DEBUG=False SECRET_KEY=build-only STATIC_ROOT=/app/staticfiles \
       python manage.py collectstatic --noinput -v 0 \
    && python -m compileall -q /app /opt/venv \
    && python -m pip uninstall --yes pip setuptools

# Graphviz's dot draws the organisations' landscapes (SVG, PNG, layouts): a
# runtime dependency, not a build tool, installed in a stage of its own.
FROM python:3.11-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends graphviz \
    && rm -rf /var/lib/apt/lists/*

FROM runtime AS final
# pip and setuptools are build tools: the running image needs neither.
RUN python -m pip uninstall --yes pip setuptools wheel \
    && groupadd --gid 1000 app \
    && useradd --uid 1000 --gid 1000 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
COPY --from=build /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    STATIC_ROOT=/app/staticfiles \
    DB_CONN_MAX_AGE=60 \
    PORT=8000 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/metrics \
    DUMP_DIR=/var/lib/registry/dumps
# Dumps go to a volume mounted there (shared by web and worker); the directory
# exists so that a single container without one still works.
RUN mkdir -p /var/lib/registry/dumps && chown 1000:1000 /var/lib/registry/dumps
# Files belong to root and are only readable by the app: it cannot change its own code.
USER 1000:1000
EXPOSE 8000 9100
# Gunicorn and db_worker both finish their work in flight on SIGTERM.
STOPSIGNAL SIGTERM
CMD ["gunicorn", "--config", "python:registry.gunicorn_conf", "registry.wsgi"]
