import { mount } from 'svelte';
import WallApp from './WallApp.svelte';
import './wall.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from wall.html');

export default mount(WallApp, { target });
