FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY registry ./registry
COPY components ./components
COPY accounts ./accounts
COPY manage.py ./
RUN pip install --no-cache-dir . && useradd --system app
RUN DEBUG=False SECRET_KEY=build python manage.py collectstatic --noinput
USER app
EXPOSE 8000
CMD ["gunicorn", "registry.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2"]
