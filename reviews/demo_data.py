def seed_reviews() -> str:
    return "nothing yet"
