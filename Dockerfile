FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs a key to import settings; the real one comes from .env at run time.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --create-home zeus && chown -R zeus /app
USER zeus
EXPOSE 8000
