"""A socket.io client that talks to the Rasa server as the web widget does:
`session_request`, then `user_uttered` frames, answered by `bot_uttered`."""

from __future__ import annotations

import asyncio
from typing import Any, List

import socketio

QUIET_SECONDS = 2.0


class WebChat:
    def __init__(self, rasa_url: str, origin: str) -> None:
        self.url = rasa_url
        self.origin = origin
        self.client = socketio.AsyncClient(reconnection=False)
        self.session_id: str | None = None
        self._confirmed: asyncio.Queue[str] = asyncio.Queue()
        self._replies: asyncio.Queue[Any] = asyncio.Queue()
        self.client.on("session_confirm", self._confirmed.put)
        self.client.on("bot_uttered", self._replies.put)

    async def open(self, session_id: Any = None) -> str:
        """Connects and asks for a conversation; the id the server confirms."""
        await self.client.connect(
            self.url,
            headers={"Origin": self.origin},
            transports=["polling"],
            socketio_path="/socket.io",
            wait_timeout=30,
        )
        await self.client.emit("session_request", {"session_id": session_id})
        self.session_id = await asyncio.wait_for(self._confirmed.get(), 30)
        return self.session_id

    async def send(self, data: Any) -> List[str]:
        """Sends a raw `user_uttered` frame; the texts of the replies."""
        await self.client.emit("user_uttered", data)
        return await self.replies()

    async def say(self, text: str) -> List[str]:
        return await self.send({"message": text, "session_id": self.session_id})

    async def replies(self, first_within: float = 60.0) -> List[str]:
        """Replies until none has come for QUIET_SECONDS (none: [])."""
        texts: List[str] = []
        timeout = first_within
        while True:
            try:
                reply = await asyncio.wait_for(self._replies.get(), timeout)
            except asyncio.TimeoutError:
                return texts
            texts.append(reply.get("text", "") if isinstance(reply, dict) else "")
            timeout = QUIET_SECONDS

    async def close(self) -> None:
        # Over polling, a plain disconnect waits for the server to answer the
        # pending long poll (its ping interval, 25 s); the close packet is sent
        # either way. (The websocket transport needs a newer aiohttp than Rasa's.)
        if self.client.connected:
            await self.client.eio.disconnect(abort=True)
