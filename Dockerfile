# The NL Design System CSS comes from npm; only what the site serves is kept.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# Graphviz's dot draws the organisations' landscapes (SVG, PNG, layouts).
RUN apt-get update && apt-get install -y --no-install-recommends graphviz \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY registry ./registry
COPY components ./components
COPY accounts ./accounts
COPY manage.py ./
COPY locale ./locale
COPY --from=assets /app/node_modules ./node_modules
# Node runs Spectral, the API Design Rules linter of the worker (components/quality.py).
COPY --from=assets /usr/local/bin/node /usr/local/bin/node
RUN pip install --no-cache-dir . && useradd --system app \
    && pybabel -q compile -d locale -D django
RUN DEBUG=False SECRET_KEY=build python manage.py collectstatic --noinput
ENV DB_CONN_MAX_AGE=60
USER app
EXPOSE 8000
CMD ["gunicorn", "registry.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2"]
