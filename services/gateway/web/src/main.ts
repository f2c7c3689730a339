import { ChatApp } from './chat-app';

void new ChatApp().start();
